/**
 * News agencies as datelines and credits name them, in Arabic, English and French, mapped onto
 * one canonical code each: `رويترز` and `Reuters` are both `Reuters`; `أ ف ب`, `ا.ف.ب`,
 * `فرانس برس` and `AFP` are `AFP`. Names are compared folded (foldForMatching), so hamza, alef,
 * dots and case variants (`أسوشيتد برس`, `اسوشيتد برس`, `A.F.P.`) need no entries of their own.
 */
import { foldForMatching } from './fold-text.ts';

/** One agency credited in a dateline. */
export interface AgencyCredit {
  /** Canonical code (`AFP`, `Reuters`, `SPA`, `agencies`), or the name as written when unknown. */
  code: string;
  /** The credit exactly as written (trimmed), e.g. `أ ف ب`. */
  raw: string;
}

/**
 * Canonical code → spellings. Codes are the agencies' own short names (what their wire headers
 * carry); `agencies` is the generic "(وكالات)" / "(agencies)" credit of rewritten wire copy.
 */
const AGENCY_ALIASES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['Reuters', ['رويترز', 'وكالة رويترز', 'Reuters', 'Thomson Reuters']],
  ['AFP', ['أ ف ب', 'ا ف ب', 'أف ب', 'فرانس برس', 'فرانس پرس', 'وكالة فرانس برس', 'وكالة الأنباء الفرنسية', 'AFP', 'Agence France-Presse', 'Agence France Presse']],
  ['AP', ['أ ب', 'ا ب', 'أسوشيتد برس', 'اسوشيتد برس', 'الأسوشيتد برس', 'أسوشيتدبرس', 'أسوشيتيد برس', 'وكالة أسوشيتد برس', 'AP', 'Associated Press', 'The Associated Press']],
  ['dpa', ['د ب أ', 'د ب ا', 'وكالة الأنباء الألمانية', 'dpa', 'Deutsche Presse-Agentur']],
  ['WAM', ['وام', 'وكالة أنباء الإمارات', 'WAM']],
  ['SPA', ['واس', 'وكالة الأنباء السعودية', 'SPA', 'Saudi Press Agency']],
  ['MAP', ['و م ع', 'ومع', 'وكالة المغرب العربي للأنباء', 'MAP', 'Maghreb Arabe Presse']],
  ['QNA', ['قنا', 'وكالة الأنباء القطرية', 'QNA']],
  ['KUNA', ['كونا', 'وكالة الأنباء الكويتية', 'KUNA']],
  ['BNA', ['بنا', 'وكالة أنباء البحرين', 'BNA']],
  ['SANA', ['سانا', 'وكالة الأنباء السورية', 'SANA']],
  ['TAP', ['وات', 'وكالة تونس إفريقيا للأنباء', 'TAP']],
  ['APS', ['واج', 'وكالة الأنباء الجزائرية', 'APS']],
  ['MENA', ['أ ش أ', 'وكالة أنباء الشرق الأوسط', 'MENA']],
  ['WAFA', ['وفا', 'WAFA']],
  ['Petra', ['بترا', 'Petra']],
  ['SUNA', ['سونا', 'SUNA']],
  ['ONA', ['العمانية', 'وكالة الأنباء العمانية', 'ONA']],
  ['NNA', ['الوكالة الوطنية للإعلام', 'NNA']],
  ['IRNA', ['إرنا', 'ارنا', 'IRNA']],
  ['Tasnim', ['تسنيم', 'Tasnim']],
  ['TASS', ['تاس', 'إيتار تاس', 'TASS', 'ITAR-TASS']],
  ['RIA Novosti', ['نوفوستي', 'ريا نوفوستي', 'RIA Novosti', 'RIA']],
  ['Interfax', ['إنترفاكس', 'انترفاكس', 'Interfax']],
  ['Sputnik', ['سبوتنيك', 'Sputnik']],
  ['Anadolu', ['الأناضول', 'وكالة الأناضول', 'Anadolu', 'Anadolu Agency', 'AA']],
  ['Xinhua', ['شينخوا', 'Xinhua', 'Chine nouvelle']],
  ['Kyodo', ['كيودو', 'Kyodo']],
  ['Yonhap', ['يونهاب', 'Yonhap']],
  ['EFE', ['إفي', 'افي', 'EFE']],
  ['ANSA', ['أنسا', 'انسا', 'ANSA']],
  ['UPI', ['يو بي آي', 'UPI']],
  ['Bloomberg', ['بلومبرغ', 'بلومبيرغ', 'Bloomberg']],
  ['Belga', ['Belga']],
  ['APA', ['APA']],
  ['ATS', ['ATS', 'Keystone-ATS']],
  ['PTI', ['PTI']],
  ['Bernama', ['Bernama']],
  ['Antara', ['Antara']],
  ['agencies', ['وكالات', 'الوكالات', 'agencies', 'agences', 'wires', 'wire services']],
];

/** Folded spelling → code; also without spaces, so `أ.ف.ب`, `اف ب` and `AFP` meet. */
const ALIAS_INDEX: ReadonlyMap<string, string> = (() => {
  const index = new Map<string, string>();
  for (const [code, aliases] of AGENCY_ALIASES) {
    for (const alias of aliases) {
      const folded = foldForMatching(alias);
      index.set(folded, code);
      index.set(folded.replace(/ /g, ''), code);
    }
  }
  return index;
})();

/**
 * The canonical code of an agency name, or `null` when it is not a known agency.
 *
 * @example agencyCode('ا.ف.ب') === 'AFP'; agencyCode('أسوشيتد برس') === 'AP'
 */
export function agencyCode(name: string): string | null {
  const folded = foldForMatching(name);
  if (folded === '') return null;
  return ALIAS_INDEX.get(folded) ?? ALIAS_INDEX.get(folded.replace(/ /g, '')) ?? null;
}

/** True when the name is a known agency (`رويترز`, `dpa`, `وكالات`). */
export function isKnownAgency(name: string): boolean {
  return agencyCode(name) !== null;
}

/**
 * Agency credits with their codes, in order, one per code (`Reuters/رويترز` is one credit).
 * An unknown name keeps itself, trimmed, as its code.
 *
 * @param sources the dateline's `sources`, as written.
 */
export function agenciesOf(sources: ReadonlyArray<string>): AgencyCredit[] {
  const out: AgencyCredit[] = [];
  const seen = new Set<string>();
  for (const source of sources) {
    const raw = source.trim();
    if (raw === '') continue;
    const code = agencyCode(raw) ?? raw;
    if (seen.has(code)) continue;
    seen.add(code);
    out.push({ code, raw });
  }
  return out;
}
