import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { SourceLine } from '../../src/ui/SourceLine';
import { glossaryLine } from '../../src/ui/glossary';
import { EvidenceDisclosure } from '../../src/ui/EvidenceDisclosure';

afterEach(cleanup);

describe('a source as a clinician reads it (R3.8)', () => {
  it('names the label and section, links to its public page in a new tab, and prints the address', () => {
    const url = 'https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=16c12a56-4550-414b-ac9d-b785b41fea6b';
    const { container } = render(<SourceLine source="Cibinqo label (US), section 2.1 (do not start below ANC 1,000/µL)" links={[{ label: 'Cibinqo label (US)', url }]} />);
    expect(container.querySelector('.source-line')!.textContent).toMatch(/^Source: Cibinqo label \(US\), section 2\.1 · /);
    const link = screen.getByRole('link', { name: /Cibinqo label \(US\)/ });
    expect(link.getAttribute('href')).toBe(url);
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(container.querySelector('.print-only')!.textContent).toBe(url);
  });

  it('the evidence panel of a checklist item links its labels the same way', () => {
    const url = 'https://www.ema.europa.eu/en/medicines/human/EPAR/olumiant';
    render(<EvidenceDisclosure evidence={[{ display: 'Hemoglobin', value: '13.1 g/dL' }]} source="Olumiant product information (EU), section 4.2" subject="CBC" links={[{ label: 'Olumiant product information (EU)', url }]} />);
    const link = screen.getByRole('link', { name: /Olumiant product information \(EU\)/, hidden: true });
    expect([link.getAttribute('href'), link.getAttribute('target'), link.getAttribute('rel')]).toEqual([url, '_blank', 'noopener noreferrer']);
  });

  it('a source without a label page has no link', () => {
    render(<SourceLine source="Article, From Clinic to Daily Life (decision tree)" />);
    expect(screen.queryByRole('link')).toBeNull();
  });

  it('spells out only the abbreviations a text uses', () => {
    expect(glossaryLine('ANC 800/µL; order IGRA')).toBe('Abbreviations: ANC = absolute neutrophil count; IGRA = interferon-gamma release assay (TB blood test)');
    expect(glossaryLine('Ready, nothing open')).toBeUndefined();
  });
});
