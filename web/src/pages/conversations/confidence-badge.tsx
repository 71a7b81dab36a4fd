import type { ConfidenceLevel } from '../../../../src/db/enums.js';
import type { ChatResponse } from '../../../../src/modules/chat/chat.schemas.js';
import { useI18n } from '../../i18n/i18n.js';

type Confidence = ChatResponse['metadata']['confidence'];

const percent = (x: number) => `${Math.round(x * 100)}%`;

/** An answer's confidence level, with the signals it came from in its title and, for screen readers, in words. */
export function ConfidenceBadge({ confidence }: { confidence: Confidence | null | undefined }) {
  const { t } = useI18n();
  if (!confidence) return null;
  const s = confidence.signals;
  const coverage = s.sentence_coverage ?? s.coverage;
  // Only the signals there are: an FAQ answer has no score, nothing found has no coverage.
  const details = [
    ...(s.best_score !== null ? [t('confidence.signal.score', { score: s.best_score.toFixed(2), cut: s.cut.toFixed(2) })] : []),
    ...(coverage !== null ? [t('confidence.signal.coverage', { coverage: percent(coverage) })] : []),
    ...(s.agreement !== null ? [t('confidence.signal.agreement', { agreement: percent(s.agreement) })] : []),
    ...(s.faq ? [t('confidence.signal.faq')] : []),
    ...(s.not_found ? [t('confidence.signal.notFound')] : []),
  ].join(' · ');
  return (
    <span className="confidence">
      <span className={`badge confidence-${confidence.level}`} title={details}>
        {t('confidence.label', { level: t(`confidence.level.${confidence.level as ConfidenceLevel}`) })}
      </span>
      <span className="meta confidence-signals">{details}</span>
    </span>
  );
}
