/**
 * The 17 top-level IPTC Media Topics: the default feeds. Slugs are a contract (ARCHITECTURE.md).
 * Labels are IPTC's own (Media Topics, 2019-04-06 release, CC BY 4.0, IPTC); the English ones are
 * shortened into feed titles, the Arabic and French ones are as IPTC publishes them (the upstream
 * double space in the Arabic label of 16000000 is collapsed).
 */
export interface TopicTitles {
  en: string;
  ar?: string;
  fr?: string;
  [lang: string]: string | undefined;
}

export interface BuiltinTopic {
  slug: string;
  /** IPTC Media Topic code without the `medtop:` scheme. */
  code: string;
  title: TopicTitles;
}

export const TOP_LEVEL_TOPICS: readonly BuiltinTopic[] = Object.freeze([
  { slug: 'arts-culture', code: '01000000', title: { en: 'Arts, culture, entertainment and media', ar: 'فنون، ثقافة وترفيه', fr: 'Arts, culture, divertissement et médias' } },
  { slug: 'crime-law', code: '02000000', title: { en: 'Crime, law and justice', ar: 'جريمة، قانون وقضاء', fr: 'Criminalité, droit et justice' } },
  { slug: 'disasters', code: '03000000', title: { en: 'Disaster, accident and emergency incident', ar: 'كوارث وحوادث', fr: 'Désastres et accidents' } },
  { slug: 'economy', code: '04000000', title: { en: 'Economy, business and finance', ar: 'اقتصاد، اعمال ومال', fr: 'Economie et finances' } },
  { slug: 'education', code: '05000000', title: { en: 'Education', ar: 'تربية', fr: 'Education' } },
  { slug: 'environment', code: '06000000', title: { en: 'Environment', ar: 'بيئة', fr: 'Environnement' } },
  { slug: 'health', code: '07000000', title: { en: 'Health', ar: 'صحة', fr: 'Santé' } },
  { slug: 'human-interest', code: '08000000', title: { en: 'Human interest', ar: 'قضية انسانية', fr: 'Gens animaux insolite' } },
  { slug: 'labour', code: '09000000', title: { en: 'Labour', ar: 'عمل', fr: 'Social' } },
  { slug: 'lifestyle', code: '10000000', title: { en: 'Lifestyle and leisure', ar: 'حياة يومية وترفيه', fr: 'Vie quotidienne et loisirs' } },
  { slug: 'politics', code: '11000000', title: { en: 'Politics', ar: 'سياسة', fr: 'Politique' } },
  { slug: 'religion', code: '12000000', title: { en: 'Religion and belief', ar: 'ديانة ومعتقدات', fr: 'Religion et croyance' } },
  { slug: 'science-technology', code: '13000000', title: { en: 'Science and technology', ar: 'علوم وتكنولوجيا', fr: 'Science et technologie' } },
  { slug: 'society', code: '14000000', title: { en: 'Society', ar: 'قضايا اجتماعية', fr: 'Société' } },
  { slug: 'sport', code: '15000000', title: { en: 'Sport', ar: 'رياضة', fr: 'Sport' } },
  { slug: 'conflict', code: '16000000', title: { en: 'Conflict, war and peace', ar: 'نزاعات، حرب وسلام', fr: 'Conflit, guerre et paix' } },
  { slug: 'weather', code: '17000000', title: { en: 'Weather', ar: 'طقس', fr: 'Météo' } },
]);
