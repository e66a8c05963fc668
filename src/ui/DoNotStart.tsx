import { SourceLine } from './SourceLine';
import type { Caution, ChecklistItem, ReadinessReport } from '../contract/report';
import { EvidenceDisclosure } from './EvidenceDisclosure';
import { cautionLabel } from './labels';

/** A reason not to start, one line: the caution, or a blocking result the verdict names without a caution. */
type Block = { kind: 'caution'; caution: Caution } | { kind: 'item'; item: ChecklistItem };

/** Every do-not-start finding for the planned therapy, and any blocking result behind its agents' verdicts. */
export function plannedBlocks(report: ReadinessReport, agents: readonly string[]): Block[] {
  const blocks: Block[] = report.cautions.filter((c) => c.severity === 'do-not-start').map((caution) => ({ kind: 'caution', caution }));
  const shown = new Set<string>(blocks.map((b) => (b.kind === 'caution' ? b.caution.id : '')));
  for (const verdict of report.byAgent) {
    if (verdict.verdict !== 'do-not-start' || !agents.includes(verdict.therapy)) continue;
    for (const cause of verdict.causes) {
      if (cause.kind !== 'item' || shown.has(`item:${cause.id}`)) continue;
      const item = report.checklist.find((i) => i.id === cause.id);
      if (item && item.status === 'abnormal') {
        shown.add(`item:${cause.id}`);
        blocks.push({ kind: 'item', item });
      }
    }
  }
  return blocks;
}

/** "contraindicated" → "Label: contraindicated"; nothing when the label's verb is not given. */
function verb(caution: Caution): string {
  return caution.labelWording ? ` · label: ${caution.labelWording}` : '';
}

export function DoNotStart({ report, agents, plannedLabel, onTherapy = false }: { report: ReadinessReport; agents: readonly string[]; plannedLabel: string; onTherapy?: boolean }) {
  const blocks = plannedBlocks(report, agents);
  if (blocks.length === 0) return null;
  return (
    <section className="block-list" aria-labelledby="do-not-start-heading" data-testid="do-not-start">
      <h2 id="do-not-start-heading" className="block-list__heading">
        <span aria-hidden="true">✗ </span>
        {onTherapy ? `The label says not to use ${plannedLabel}` : `Do not start ${plannedLabel}`}
      </h2>
      <ul className="block-list__items">
        {blocks.map((block) =>
          block.kind === 'caution' ? (
            <li key={`c-${block.caution.id}`} className="block" data-testid={`block-${block.caution.id}`}>
              <p className="block__line">
                <span className="block__label">{cautionLabel(block.caution.id)}</span>
                {' — '}
                <span className="block__cause">{block.caution.short ?? block.caution.text}</span>
                <span className="block__verb">{verb(block.caution)}</span>
              </p>
              <SourceLine source={block.caution.source} links={block.caution.links} />
              <EvidenceDisclosure evidence={block.caution.evidence} source={block.caution.source} subject={cautionLabel(block.caution.id)} />
            </li>
          ) : (
            <li key={`i-${block.item.id}`} className="block" data-testid={`block-item-${block.item.id}`}>
              <p className="block__line">
                <span className="block__label">{block.item.label}</span>
                {' — '}
                <span className="block__cause">{block.item.detail ?? 'abnormal result'}</span>
              </p>
              <SourceLine source={block.item.source} links={block.item.links} />
              <EvidenceDisclosure evidence={block.item.evidence} source={block.item.source} subject={block.item.label} />
            </li>
          ),
        )}
      </ul>
    </section>
  );
}
