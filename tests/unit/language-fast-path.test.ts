import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectLanguage } from '../../src/normalize/language.ts';

test('news prose in the common Latin-script languages is recognised from its function words', () => {
  assert.equal(detectLanguage('The central bank kept its interest rate unchanged on Friday as inflation eased for a third month, and the markets that had feared a rise were relieved by the decision of the board.'), 'en');
  assert.equal(detectLanguage("Le gouvernement a présenté au Parlement un budget marqué par une baisse des impôts, sous les critiques de l'opposition qui dénonce un texte pour les plus riches et qui réclame des mesures pour les retraités."), 'fr');
  assert.equal(detectLanguage('El gobierno presentó el presupuesto en el Congreso y los partidos de la oposición criticaron las medidas fiscales, que según ellos favorecen a las empresas más grandes del país.'), 'es');
  assert.equal(detectLanguage('Die Regierung hat am Freitag den Haushalt vorgelegt, und die Opposition kritisierte, dass die Steuersenkungen nicht für alle gelten und die Schulden auf den höchsten Stand seit Jahren steigen.'), 'de');
});

test('copy without a clear majority of function words still goes to franc', () => {
  // Dutch shares few function words with the six languages of the fast path.
  assert.equal(detectLanguage('De regering heeft vrijdag de begroting gepresenteerd en de oppositie bekritiseerde de belastingverlagingen omdat die niet voor iedereen gelden en de schulden stijgen.'), 'nl');
  assert.equal(detectLanguage('أعلن الكرملين أن الرئيس بحث عبر الهاتف مع نظيره الوضع في سوق النفط وتخفيض الإنتاج.'), 'ar');
});
