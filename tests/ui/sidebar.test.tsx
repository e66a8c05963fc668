import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { Sidebar, type SidebarProps } from '../../src/ui/Sidebar';
import { reportAsNote } from '../../src/ui/note';
import type { ReadinessReport } from '../../src/contract/report';
import { caution, item, orderTodo, report } from './fixtures';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const HOSTILE = '<img src=x onerror=alert(1)>';

function renderSidebar(overrides: Partial<SidebarProps> = {}, shown: ReadinessReport = sampleReport()) {
  const onTherapyChange = vi.fn();
  render(
    <Sidebar report={shown} therapy={shown.therapy} onTherapyChange={onTherapyChange} showPatientBanner {...overrides} />,
  );
  return { onTherapyChange };
}

function sampleReport(): ReadinessReport {
  return report({
    checklist: [
      item({
        id: 'cbc',
        status: 'incomplete',
        missing: ['ANC', 'ALC'],
        evidence: [
          {
            reference: 'Observation/hb1',
            date: '2026-10-01',
            display: 'Hemoglobin',
            value: '13.1 g/dL',
            match: 'code',
            matchedCode: 'http://loinc.org|718-7',
          },
          { reference: 'Observation/plt', date: '2026-10-01', display: 'Platelet count', value: '250 × 10⁹/L', match: 'name' },
        ],
        source: 'Cibinqo US prescribing information §2.1',
      }),
      item({ id: 'tb-screening', status: 'missing', window: 'P365D' }),
    ],
    cautions: [
      caution({
        id: 'thrombosis-history',
        severity: 'warning',
        text: 'History of venous thromboembolism.',
        evidence: [{ reference: 'Condition/c9', date: '2019-03-02', display: 'Deep vein thrombosis', match: 'code', matchedCode: 'http://snomed.info/sct|128053003' }],
        source: 'Class boxed warning (thrombosis)',
      }),
    ],
    factors: [{ id: 'itch', label: 'Itch score', value: '7/10 (2026-11-01)' }],
    todo: [orderTodo('cbc'), orderTodo('tb-screening', '71773-6', 'TB blood test (IGRA)')],
  });
}

describe('patient banner', () => {
  it('shows name, age and sex when the EHR asks for a banner', () => {
    renderSidebar({ showPatientBanner: true });
    const banner = screen.getByRole('region', { name: 'Patient' });
    expect(banner.textContent).toContain('Rivera, Ana');
    expect(banner.textContent).toContain('34 y');
    expect(banner.textContent).toContain('Female');
  });

  it('is hidden when the EHR already shows the patient', () => {
    renderSidebar({ showPatientBanner: false });
    expect(screen.queryByRole('region', { name: 'Patient' })).toBeNull();
    expect(screen.queryByText('Rivera, Ana')).toBeNull();
  });

  it('says when age and name are not recorded', () => {
    renderSidebar({}, report({ patient: { id: 'p2', age: null, sex: 'unknown' } }));
    const banner = screen.getByRole('region', { name: 'Patient' });
    expect(banner.textContent).toContain('Name not recorded');
    expect(banner.textContent).toContain('Age unknown');
    expect(banner.textContent).toContain('Sex unknown');
  });
});

describe('sidebar layout', () => {
  it('has one level-1 heading and a level-2 heading per section', () => {
    renderSidebar();
    expect(screen.getAllByRole('heading', { level: 1 })).toHaveLength(1);
    const sections = screen.getAllByRole('heading', { level: 2 }).map((heading) => heading.textContent);
    expect(sections).toEqual(expect.arrayContaining(['Baseline checklist', 'Cautions', 'Decision factors']));
  });

  it('shows the summary line above the details', () => {
    renderSidebar();
    expect(screen.getByTestId('summary').textContent).toBe('1 caution · 2 labs to order');
  });

  it('shows the decision factors', () => {
    renderSidebar();
    expect(screen.getByText('7/10 (2026-11-01)')).toBeTruthy();
  });
});

describe('data gaps', () => {
  it('shows prominently which resource type could not be loaded and why', () => {
    renderSidebar(
      {},
      report({
        dataGaps: [{ resourceType: 'Observation', reason: 'HTTP 503', affects: ['Complete blood count', 'Liver enzymes'] }],
        checklist: [item({ id: 'cbc', status: 'unknown' })],
      }),
    );
    const gaps = screen.getByRole('region', { name: /could not be read/ });
    expect(gaps.textContent).toContain('Observations (lab results, vital signs): HTTP 503');
    expect(gaps.textContent).toContain('affects: Complete blood count, Liver enzymes');
    expect(gaps.textContent).toContain('Could not check');
    // It comes before the checklist, so it is read first.
    const checklist = screen.getByRole('region', { name: 'Baseline checklist' });
    expect(gaps.compareDocumentPosition(checklist) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('says from when observations were searched when the loader limited them', () => {
    renderSidebar({ observationsSince: '2024-11-27' });
    expect(screen.getByText(/searched from 2024-11-27/)).toBeTruthy();
  });

  it('shows no gap section when everything loaded', () => {
    renderSidebar();
    expect(screen.queryByRole('region', { name: /could not be read/ })).toBeNull();
  });
});

describe('evidence disclosure', () => {
  it('is closed at first and opens to show the resources, how they matched and the rule source', () => {
    renderSidebar();
    const entry = screen.getByTestId('item-cbc');
    const toggle = within(entry).getByRole('button', { name: /Evidence \(\d+\) for Complete blood count/ });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    const panel = document.getElementById(toggle.getAttribute('aria-controls')!)!;
    expect(panel.hidden).toBe(true);

    fireEvent.click(toggle);

    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(panel.hidden).toBe(false);
    expect(panel.textContent).toContain('Observation/hb1');
    expect(panel.textContent).toContain('2026-10-01');
    expect(panel.textContent).toContain('13.1 g/dL');
    expect(panel.textContent).toContain('Matched by code http://loinc.org|718-7');
    expect(panel.textContent).toContain('Matched by name, not by code: verify');
    expect(panel.textContent).toContain('Rule source: Cibinqo US prescribing information §2.1');

    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(panel.hidden).toBe(true);
  });

  it('opens the evidence of a caution', () => {
    renderSidebar();
    const toggle = within(screen.getByTestId('caution-thrombosis-history')).getByRole('button', { name: /Evidence/ });
    fireEvent.click(toggle);
    const panel = document.getElementById(toggle.getAttribute('aria-controls')!)!;
    expect(panel.textContent).toContain('Condition/c9');
    expect(panel.textContent).toContain('Deep vein thrombosis');
    expect(panel.textContent).toContain('Rule source: Class boxed warning (thrombosis)');
  });

  it('explains derived evidence and evidence notes', () => {
    renderSidebar(
      {},
      report({
        checklist: [
          item({
            id: 'cbc',
            status: 'done',
            evidence: [{ date: '2026-11-01', display: 'ANC', value: '2,100/µL', match: 'derived', note: 'derived from WBC × neutrophil %' }],
          }),
        ],
      }),
    );
    fireEvent.click(screen.getByRole('button', { name: /Evidence \(\d+\) for Complete blood count/ }));
    const panel = screen.getByTestId('item-cbc').querySelector('.evidence__panel')!;
    expect(panel.textContent).toContain('Derived from other results');
    expect(panel.textContent).toContain('derived from WBC × neutrophil %');
    expect(panel.textContent).toContain('derived, no single resource');
  });

  it('says so when no resource matched', () => {
    renderSidebar();
    const entry = screen.getByTestId('item-tb-screening');
    fireEvent.click(within(entry).getByRole('button', { name: /Evidence/ }));
    expect(entry.textContent).toContain('No resources in the record matched this rule.');
  });
});

describe('therapy selector', () => {
  it('offers oral, topical and each agent under a visible label', () => {
    renderSidebar();
    const select = screen.getByLabelText('Planned therapy') as HTMLSelectElement;
    expect(Array.from(select.options).map((option) => option.value)).toEqual([
      'oral',
      'abrocitinib',
      'upadacitinib',
      'baricitinib',
      'topical',
      'ruxolitinib-cream',
      'delgocitinib-cream',
    ]);
    expect(select.value).toBe('oral');
  });

  it('reports the chosen therapy', () => {
    const { onTherapyChange } = renderSidebar();
    fireEvent.change(screen.getByLabelText('Planned therapy'), { target: { value: 'abrocitinib' } });
    expect(onTherapyChange).toHaveBeenCalledWith('abrocitinib');
  });

  it('says the therapy was preselected from an order', () => {
    const shown = report({ therapy: 'upadacitinib' });
    renderSidebar({ therapy: 'upadacitinib', preselectedTherapy: 'upadacitinib' }, shown);
    expect(screen.getByText('Preselected from an order in the record.')).toBeTruthy();
  });
});

describe('untrusted strings from the record', () => {
  it('renders markup in record strings as text, never as HTML', () => {
    const hostile = report({
      patient: { id: 'p1', age: 40, sex: 'male', name: HOSTILE },
      dataGaps: [{ resourceType: 'Observation', reason: HOSTILE, affects: [HOSTILE] }],
      checklist: [
        item({
          id: 'cbc',
          status: 'abnormal',
          label: HOSTILE,
          detail: HOSTILE,
          missing: [HOSTILE],
          notes: [HOSTILE],
          evidence: [{ reference: HOSTILE, date: HOSTILE, display: HOSTILE, value: HOSTILE, note: HOSTILE }],
          source: HOSTILE,
        }),
      ],
      cautions: [caution({ id: 'smoking', severity: 'warning', text: HOSTILE, agents: [HOSTILE], evidence: [{ display: HOSTILE }] })],
      factors: [{ id: 'x', label: HOSTILE, value: HOSTILE }],
    });
    renderSidebar({}, hostile);
    for (const toggle of screen.getAllByRole('button', { name: /Evidence/ })) fireEvent.click(toggle);
    expect(document.querySelector('img')).toBeNull();
    expect(document.querySelector('[onerror]')).toBeNull();
    expect(screen.getByRole('region', { name: 'Patient' }).textContent).toContain(HOSTILE);
    expect(screen.getAllByText(HOSTILE, { exact: false }).length).toBeGreaterThan(5);
  });
});

describe('copy as note', () => {
  it('writes the note text to the clipboard and says so', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    const shown = sampleReport();
    renderSidebar({}, shown);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Copy as note' }));
    });
    expect(writeText).toHaveBeenCalledWith(reportAsNote(shown, 'Oral JAK inhibitor (any)'));
    expect(screen.getByRole('status').textContent).toBe('Copied to the clipboard.');
  });

  it('falls back to a selected, read-only text area when the clipboard refuses', async () => {
    const writeText = vi.fn().mockRejectedValue(new Error('NotAllowedError'));
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    const shown = sampleReport();
    renderSidebar({}, shown);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Copy as note' }));
    });
    const area = screen.getByLabelText(/Select this text and copy it/) as HTMLTextAreaElement;
    expect(area.readOnly).toBe(true);
    expect(area.value).toBe(reportAsNote(shown, 'Oral JAK inhibitor (any)'));
    expect(document.activeElement).toBe(area);
    expect(area.selectionEnd - area.selectionStart).toBe(area.value.length);
  });

  it('drops the "copied" message once the report changes, so it never vouches for a stale note', async () => {
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText: vi.fn().mockResolvedValue(undefined) } });
    const first = sampleReport();
    const { rerender } = render(<Sidebar report={first} therapy="oral" onTherapyChange={vi.fn()} showPatientBanner />);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Copy as note' }));
    });
    expect(screen.getByRole('status').textContent).toBe('Copied to the clipboard.');
    const second = { ...first, therapy: 'topical' as const };
    rerender(<Sidebar report={second} therapy="topical" onTherapyChange={vi.fn()} showPatientBanner />);
    expect(screen.getByRole('status').textContent).toBe('');
  });

  it('falls back to the text area when there is no clipboard API', async () => {
    vi.stubGlobal('navigator', { ...navigator, clipboard: undefined });
    renderSidebar();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Copy as note' }));
    });
    expect(screen.getByLabelText(/Select this text and copy it/)).toBeTruthy();
  });
});
