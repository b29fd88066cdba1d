/**
 * The trained model as the topic assigner's `model` hook: which articles it is asked about, what
 * text it reads, and how its answers become `model` assignments. Model files are read once per
 * process and path.
 */
import type { TopicAssignment } from '../model/article-record.ts';
import type { ClassifiableArticle } from './assign-topics.ts';
import { classifyText, DEFAULT_MODEL_PATH, loadModelFile, type TopicModel } from './model.ts';

const cache = new Map<string, TopicModel>();

/** The model in `path` (default: the shipped one), loaded at the first call and kept. Throws when the file is missing or malformed. */
export function sharedModel(path: string = DEFAULT_MODEL_PATH): TopicModel {
  let model = cache.get(path);
  if (!model) {
    model = loadModelFile(path);
    cache.set(path, model);
  }
  return model;
}

/** Primary language subtag (`ar-EG` → `ar`), lowercased. */
const primary = (tag: string) => tag.toLowerCase().split('-')[0]!;

/**
 * The hook for `TopicContext.model`. The model reads the headline, the summary and the body. It
 * is asked only about articles in a language it was trained on, or of undetermined language
 * (`und`: it then answers only from words it knows); a Spanish or Chinese story gets no `model`
 * topic rather than a guess from a few shared words. Topics scoring under `minScore` (the
 * operator's `classifier.minScore`; scores are probabilities) are dropped. Never throws: a
 * failure is no topic.
 */
export function modelHook(model: TopicModel, minScore = 0): (article: ClassifiableArticle) => TopicAssignment[] {
  const languages = new Set(model.languages.map(primary));
  return (article) => {
    const lang = primary(article.language || 'und');
    if (languages.size && lang !== 'und' && !languages.has(lang)) return [];
    try {
      const body = article.summary && !article.bodyText.startsWith(article.summary) ? `${article.summary}\n${article.bodyText}` : article.bodyText;
      return classifyText(model, { headline: article.headline, body })
        .filter((t) => t.score >= minScore)
        .map((t) => ({ slug: t.slug, code: t.code, score: t.score, origin: 'model' }));
    } catch {
      return [];
    }
  };
}
