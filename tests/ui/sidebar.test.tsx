import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { Sidebar, type SidebarProps } from '../../src/ui/Sidebar';
import { reportAsNote } from '../../src/ui/note';
import type { MonitoringSchedule, ReadinessReport } from '../../src/contract/report';
import { caution, item, orderTodo, report, verdicts } from './fixtures';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const HOSTILE = '<img src=x onerror=alert(1)>';

function renderSidebar(overrides: Partial<SidebarProps> = {}, shown: ReadinessReport = sampleReport()) {
  const onTherapyChange = vi.fn();
  const view = render(<Sidebar report={shown} therapy={shown.therapy} onTherapyChange={onTherapyChange} showPatientBanner {...overrides} />);
  return { onTherapyChange, ...view };
}

/** Abrocitinib planned; blocked by clopidogrel; CBC incomplete; TB screening missing. */
function sampleReport(): ReadinessReport {
  return report({
    therapy: 'abrocitinib',
    patient: { id: 'p1', age: 34, sex: 'female', name: 'Ana Rivera', birthDate: '1992-01-15', mrn: 'MRN-0042' },
    byAgent: verdicts({
      abrocitinib: { verdict: 'do-not-start', reasons: ['clopidogrel'], causes: [{ kind: 'caution', id: 'antiplatelet' }] },
      upadacitinib: { verdict: 'needs-work', reasons: ['2 labs to order'] },
      baricitinib: { verdict: 'needs-work', reasons: ['2 labs to order'] },
    }),
    checklist: [
      item({
        id: 'cbc',
        status: 'incomplete',
        missing: ['ANC', 'ALC'],
        detail: 'Missing within the window: ANC, ALC',
        evidence: [
          { reference: 'Observation/hb1', date: '2026-11-15', display: 'Hemoglobin [Mass/volume] in Blood', test: 'Hemoglobin', value: '13.1 g/dL', rawValue: '13.0999 g/dL', match: 'code', matchedCode: 'http://loinc.org|718-7' },
          { reference: 'Observation/plt', date: '2026-11-15', display: 'Platelet count', test: 'Platelets', value: '250 ×10³/µL', match: 'name' },
        ],
        source: 'Cibinqo US prescribing information §2.1',
      }),
      item({
        id: 'liver-enzymes',
        status: 'outdated',
        detail: 'Newest result 2025-11-12, older than the window',
        evidence: [{ reference: 'Observation/alt', date: '2025-11-12', display: 'ALT', test: 'ALT', value: '21 U/L', match: 'code' }],
      }),
      item({ id: 'tb-screening', status: 'missing', window: 'P365D', detail: 'No result in the record', missing: ['IGRA or skin test'] }),
    ],
    cautions: [
      caution({
        id: 'antiplatelet',
        severity: 'do-not-start',
        short: 'clopidogrel',
        labelWording: 'contraindicated',
        text: 'Current antiplatelet therapy: clopidogrel',
        evidence: [{ reference: 'MedicationRequest/m1', date: '2026-08-04', display: 'clopidogrel 75 MG Oral Tablet', match: 'code', matchedCode: 'http://www.nlm.nih.gov/research/umls/rxnorm|309362' }],
        source: 'Cibinqo contraindication: antiplatelet therapy except low-dose aspirin in the first 3 months',
      }),
      caution({
        id: 'thrombosis-history',
        severity: 'warning',
        short: 'oestrogen',
        text: 'Oestrogen-containing contraception: additional clot risk',
        evidence: [{ reference: 'MedicationRequest/m2', date: '2026-01-02', display: 'Ethinyl estradiol / levonorgestrel', match: 'name' }],
        source: 'JAK inhibitor class boxed warning (FDA 2021 safety communication) (thrombosis); clinical/spec.md R2.5',
      }),
      caution({ id: 'label-indication', severity: 'info', short: 'no prior systemic therapy recorded', text: 'US label: for AD not adequately controlled with other systemic drugs', agents: ['abrocitinib', 'upadacitinib'], source: 'Labels §1 (indications)' }),
    ],
    factors: [
      { id: 'itch', label: 'Itch score', value: '7/10 (2026-11-01)' },
      { id: 'eczema-diagnosis', label: 'Eczema diagnosis', value: 'Atopic dermatitis', evidence: [{ reference: 'Condition/c1', display: 'Atopic dermatitis' }], source: 'Record' },
    ],
    todo: [orderTodo('cbc'), orderTodo('tb-screening', '71773-6', 'TB blood test (IGRA)'), { id: 'confirm-label-indication', kind: 'confirm', text: 'Document prior systemic therapy (US label)', from: [{ kind: 'caution', id: 'label-indication' }] }],
  });
}

/** The top-level blocks of the sidebar in reading order, named by their test ids. */
function readingOrder(): string[] {
  const ids = ['verdicts', 'do-not-start', 'todo', 'warnings', 'notes', 'factors', 'data-gaps'];
  return Array.from(document.querySelectorAll(ids.map((id) => `[data-testid="${id}"]`).join(', '))).map((el) => el.getAttribute('data-testid')!);
}

describe('identity line', () => {
  it('names the patient with age, sex, birth date and MRN when the EHR asks for a banner', () => {
    renderSidebar();
    const line = screen.getByRole('region', { name: 'Patient' }).textContent!;
    expect(line).toBe('Ana Rivera · 34 y · Female · born 1992-01-15 · MRN MRN-0042');
  });

  it('is left to the EHR on screen when it shows its own banner, but still printed', () => {
    renderSidebar({ showPatientBanner: false });
    expect(screen.queryByRole('region', { name: 'Patient' })).toBeNull();
    // Paper has no EHR banner around it: the identity is printed (hidden on screen by the print-only class).
    expect(document.querySelector('.banner.print-only')?.textContent).toContain('Ana Rivera · 34 y · Female · born 1992-01-15 · MRN MRN-0042');
  });

  it('says when age and name are not recorded', () => {
    renderSidebar({}, report({ patient: { id: 'p1', age: null, sex: 'unknown' } }));
    const line = screen.getByRole('region', { name: 'Patient' }).textContent!;
    expect(line).toContain('Name not recorded');
    expect(line).toContain('Age unknown');
    expect(line).toContain('Sex unknown');
  });

  it('puts a recorded death first, before any verdict', () => {
    renderSidebar({}, { ...sampleReport(), patient: { id: 'p1', age: 80, sex: 'male', deceased: '2026-01-02' } });
    const alert = screen.getByTestId('deceased');
    expect(alert.textContent).toContain('Recorded as deceased (2026-01-02)');
    expect(alert.compareDocumentPosition(screen.getByTestId('verdicts')) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });
});

describe('first screen', () => {
  it('reads verdicts, reasons not to start, then the to-do list; warnings and the rest below', () => {
    renderSidebar();
    expect(readingOrder()).toEqual(['verdicts', 'do-not-start', 'todo', 'warnings', 'notes', 'factors']);
  });

  it('gives one row per agent with a symbol, a word and the short reasons', () => {
    renderSidebar();
    const rows = within(screen.getByTestId('verdicts')).getAllByRole('listitem').map((row) => row.textContent);
    expect(rows).toEqual([
      '✗Abrocitinib Do not start · plannedclopidogrel',
      '⚠Upadacitinib Needs work2 labs to order',
      '⚠Baricitinib Needs work2 labs to order',
      '✓Ruxolitinib cream Ready',
      '✓Delgocitinib cream Ready',
    ]);
    // The symbol is decoration; the word carries the verdict for screen readers.
    const icon = screen.getByTestId('verdict-abrocitinib').querySelector('.verdict__icon')!;
    expect(icon.getAttribute('aria-hidden')).toBe('true');
  });

  it('highlights the planned agent and lets another be chosen from its row', () => {
    const { onTherapyChange } = renderSidebar();
    const planned = screen.getByRole('radio', { name: /Abrocitinib/ }) as HTMLInputElement;
    expect(planned.checked).toBe(true);
    expect(screen.getByTestId('verdict-abrocitinib').className).toContain('verdict--planned');
    fireEvent.click(screen.getByRole('radio', { name: /Upadacitinib/ }));
    expect(onTherapyChange).toHaveBeenCalledWith('upadacitinib');
  });

  it('chooses no row while a group (any oral agent) is planned', () => {
    renderSidebar({ therapy: 'oral' }, { ...sampleReport(), therapy: 'oral' });
    expect(screen.getAllByRole('radio').filter((radio) => (radio as HTMLInputElement).checked)).toEqual([]);
  });

  it('lists each reason not to start the planned agent on one line with its cause, the label verb and a short source', () => {
    renderSidebar();
    const blocks = screen.getByTestId('do-not-start');
    expect(within(blocks).getByRole('heading').textContent).toBe('✗ Do not start Abrocitinib (Cibinqo)');
    const block = within(blocks).getByTestId('block-antiplatelet');
    expect(block.querySelector('.block__line')!.textContent).toBe('Antiplatelet medicine — clopidogrel · label: contraindicated');
    expect(block.querySelector('.source-line')!.textContent).toBe('Source: Cibinqo contraindication: antiplatelet therapy except low-dose aspirin in the first 3 months');
  });

  it('has no do-not-start block when nothing blocks the planned agent', () => {
    const shown = { ...sampleReport(), cautions: [], therapy: 'upadacitinib' as const };
    renderSidebar({ therapy: 'upadacitinib' }, shown);
    expect(screen.queryByTestId('do-not-start')).toBeNull();
  });

  it('shows the to-do list exactly as the report gives it', () => {
    renderSidebar();
    const todo = screen.getByTestId('todo');
    expect(within(todo).getByRole('heading').textContent).toBe('To do (3)');
    expect(within(todo).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      '•Order CBC with automated differential',
      '•Order TB blood test (IGRA)',
      '•Document prior systemic therapy (US label)',
    ]);
  });

  it('never says "nothing to do" when part of the record could not be read', () => {
    renderSidebar({}, report({ todo: [], dataGaps: [{ resourceType: 'Observation', reason: 'HTTP 503', affects: ['cbc'] }], checklist: [item({ id: 'cbc', status: 'unknown' })] }));
    const todo = screen.getByTestId('todo').textContent!;
    expect(todo).not.toContain('Nothing to order or confirm from the record.');
    expect(todo).toContain('part of the record could not be read');
    expect(screen.getByTestId('gap-alert').textContent).toContain('Part of the record could not be read (Observations (lab results, vital signs))');
  });
});

describe('below the first screen', () => {
  it('shows warnings with their cause, the finding, the agents they concern and a short source line', () => {
    renderSidebar();
    const warning = screen.getByTestId('caution-thrombosis-history');
    expect(warning.querySelector('.caution__line')!.textContent).toBe('History of blood clots — oestrogen');
    expect(warning.textContent).toContain('Oestrogen-containing contraception: additional clot risk');
    // Only the reference, never an internal file name.
    expect(warning.querySelector('.source-line')!.textContent).toBe('Source: JAK inhibitor class boxed warning');
    expect(screen.getByTestId('caution-label-indication').textContent).toContain('For abrocitinib and upadacitinib');
  });

  it('gives each checklist item one compact row: status word, the deciding result with its test name and age, the window', () => {
    renderSidebar();
    const cbc = screen.getByTestId('item-cbc');
    expect(cbc.querySelector('.status__text')!.textContent).toBe('Incomplete');
    expect(cbc.querySelector('.item__result')!.textContent).toBe('Hemoglobin 13.1 g/dL, 12 days ago · within 90 days');
    expect(cbc.querySelector('.item__missing')!.textContent).toBe('Still needed: ANC, ALC');
    const liver = screen.getByTestId('item-liver-enzymes');
    expect(liver.querySelector('.item__result')!.textContent).toBe('ALT 21 U/L, 380 days ago (window 90 days)');
    const tb = screen.getByTestId('item-tb-screening');
    expect(tb.querySelector('.item__detail')!.textContent).toBe('No result in the record');
  });

  it('keeps the evidence one click away, with the resource, the code in words and the whole source', () => {
    renderSidebar();
    const cbc = screen.getByTestId('item-cbc');
    const toggle = within(cbc).getByRole('button', { name: /Evidence \(2\) for Complete blood count/ });
    const panel = document.getElementById(toggle.getAttribute('aria-controls')!)!;
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(panel.hidden).toBe(true);
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(panel.hidden).toBe(false);
    expect(panel.textContent).toContain('Observation/hb1');
    expect(panel.textContent).toContain('Matched by code (LOINC 718-7)');
    expect(panel.textContent).toContain('As recorded13.0999 g/dL');
    expect(panel.textContent).toContain('Matched by name, not by code: verify');
    expect(panel.textContent).toContain('Source: Cibinqo US prescribing information §2.1');
  });

  it('shows no evidence button where there is no evidence, and no "Source: Record"', () => {
    renderSidebar();
    expect(within(screen.getByTestId('item-tb-screening')).queryByRole('button')).toBeNull();
    const factors = screen.getByTestId('factors');
    expect(within(factors).getAllByRole('button')).toHaveLength(1); // eczema diagnosis only
    fireEvent.click(within(factors).getByRole('button'));
    expect(factors.textContent).toContain("Source: the patient's record");
    expect(document.body.textContent).not.toMatch(/Rule source|Source: ?Record\b/);
  });

  it('names what a data gap affects in words, never by id', () => {
    renderSidebar({}, { ...sampleReport(), dataGaps: [{ resourceType: 'Observation', reason: 'HTTP 503: offline', affects: ['cbc', 'liver-enzymes', 'cytopenia'] }] });
    const gaps = screen.getByTestId('data-gaps');
    expect(gaps.textContent).toContain('Observations (lab results, vital signs): HTTP 503: offline Affects: Complete blood count, Liver enzymes (ALT, AST), Low blood counts.');
    expect(gaps.textContent).toContain('Could not check');
    expect(gaps.textContent).not.toMatch(/\bcbc\b|liver-enzymes|cytopenia/);
  });

  it('shows the planned agent\'s dose advice', () => {
    renderSidebar({}, { ...sampleReport(), dosing: [{ therapy: 'abrocitinib', trigger: 'age', advice: '100 mg once daily (EU)', reason: 'age 70', evidence: [], source: 'Cibinqo SmPC §4.2 (100 mg at 65 and older, EU)' }, { therapy: 'upadacitinib', trigger: 'age', advice: '15 mg once daily', reason: 'age 70', evidence: [], source: 'Rinvoq US PI §2' }] });
    const dosing = screen.getByTestId('dosing').textContent!;
    expect(dosing).toContain('Abrocitinib: 100 mg once daily (EU) (age 70)');
    expect(dosing).not.toContain('Upadacitinib');
  });
});

describe('plain words only', () => {
  it('shows no checklist or caution id, hyphenated severity or code-system address anywhere on screen', () => {
    renderSidebar({}, { ...sampleReport(), dataGaps: [{ resourceType: 'Observation', reason: 'HTTP 503', affects: ['cbc', 'pregnancy-test', 'thrombosis-history'] }] });
    const text = document.body.textContent!;
    for (const id of ['cbc', 'liver-enzymes', 'tb-screening', 'pregnancy-test', 'thrombosis-history', 'label-indication', 'do-not-start', 'needs-work', 'not-applicable']) {
      expect(text, id).not.toMatch(new RegExp(`(^|[^\\w-])${id}($|[^\\w-])`));
    }
    expect(text).not.toMatch(/https?:\/\//);
  });
});

describe('monitoring view', () => {
  const schedule: MonitoringSchedule = {
    therapy: 'upadacitinib',
    drug: 'upadacitinib',
    start: '2026-08-21',
    startEvidence: [],
    entries: [
      { id: 'cbc-week-24', test: 'cbc', label: 'CBC at week 24', week: 24, due: '2027-02-05', status: 'not-yet', source: 'Rinvoq US PI' },
      { id: 'lipid-panel-week-12', test: 'lipid-panel', label: 'Lipid panel at week 12', week: 12, due: '2026-11-13', status: 'done', result: { reference: 'Observation/ldl', display: 'LDL', test: 'LDL', value: '116 mg/dL', date: '2026-11-08' }, source: 'Rinvoq US PI' },
      { id: 'cbc-week-12', test: 'cbc', label: 'CBC at week 12', week: 12, due: '2026-11-13', status: 'overdue', detail: 'overdue since 2026-11-13', source: 'Rinvoq US PI' },
    ],
    visits: [{ week: 4, date: '2026-09-18' }],
    source: 'Rinvoq US prescribing information (CBC and liver enzymes periodically)',
  };
  const onTherapy = () => report({ therapy: 'upadacitinib', monitoring: schedule, byAgent: verdicts(), checklist: [item({ id: 'cbc', status: 'missing' })], todo: [{ id: 'order-cbc-week-12', kind: 'order-lab', text: 'Order CBC with automated differential (CBC at week 12, overdue since 2026-11-13)', from: [{ kind: 'monitoring', id: 'cbc-week-12' }] }] });

  it('opens on the schedule, says so, and lists overdue checks first with their dates', () => {
    renderSidebar({ therapy: 'upadacitinib' }, onTherapy());
    expect(screen.getByTestId('monitoring-note').textContent).toContain('On upadacitinib since 2026-08-21 (week 15)');
    expect(screen.queryByTestId('verdicts')).toBeNull();
    expect(screen.queryByTestId('item-cbc')).toBeNull();
    const rows = Array.from(screen.getByTestId('monitoring').querySelectorAll('.schedule > li')).map(
      (li) => `${li.querySelector('.status__text')!.textContent} | ${li.querySelector('.item__label')!.textContent} | ${li.querySelector('.item__result')!.textContent}`,
    );
    expect(rows).toEqual([
      'Overdue | CBC at week 12 | Overdue since 2026-11-13',
      'Not yet due | CBC at week 24 | Due 2027-02-05',
      'Done | Lipid panel at week 12 | Due 2026-11-13 · LDL 116 mg/dL, 19 days ago',
    ]);
    expect(screen.getByTestId('todo').textContent).toContain('CBC at week 12, overdue since 2026-11-13');
  });

  it('switches to the pre-start view and back', () => {
    renderSidebar({ therapy: 'upadacitinib' }, onTherapy());
    fireEvent.click(screen.getByRole('button', { name: 'Before starting' }));
    expect(screen.getByTestId('verdicts')).toBeTruthy();
    expect(screen.getByTestId('item-cbc')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Before starting' }).getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: 'Monitoring' }));
    expect(screen.getByTestId('monitoring')).toBeTruthy();
  });

  it('has no view switch for a patient who is not on a JAK inhibitor', () => {
    renderSidebar();
    expect(screen.queryByRole('button', { name: 'Monitoring' })).toBeNull();
  });
});

describe('therapy selector', () => {
  it('offers oral, topical and each agent under a visible label', () => {
    renderSidebar();
    const select = screen.getByLabelText('Planned therapy') as HTMLSelectElement;
    expect(Array.from(select.options).map((option) => option.value)).toEqual(['oral', 'abrocitinib', 'upadacitinib', 'baricitinib', 'topical', 'ruxolitinib-cream', 'delgocitinib-cream']);
    expect(select.value).toBe('abrocitinib');
  });

  it('reports the chosen therapy', () => {
    const { onTherapyChange } = renderSidebar();
    fireEvent.change(screen.getByLabelText('Planned therapy'), { target: { value: 'topical' } });
    expect(onTherapyChange).toHaveBeenCalledWith('topical');
  });

  it('says the therapy was preselected from an order', () => {
    renderSidebar({ preselectedTherapy: 'abrocitinib' });
    expect(screen.getByText('Preselected from an order in the record.')).toBeTruthy();
  });
});

describe('untrusted strings from the record', () => {
  it('renders markup in record strings as text, never as HTML', () => {
    const hostile = report({
      patient: { id: 'p1', age: 40, sex: 'male', name: HOSTILE, mrn: HOSTILE },
      dataGaps: [{ resourceType: 'Observation', reason: HOSTILE, affects: [HOSTILE] }],
      byAgent: verdicts({ abrocitinib: { verdict: 'do-not-start', reasons: [HOSTILE] } }),
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
      cautions: [caution({ id: 'smoking', severity: 'warning', text: HOSTILE, short: HOSTILE, agents: [HOSTILE], evidence: [{ display: HOSTILE }] })],
      factors: [{ id: 'x', label: HOSTILE, value: HOSTILE }],
      todo: [{ id: 'x', kind: 'confirm', text: HOSTILE, from: [] }],
    });
    renderSidebar({}, hostile);
    for (const toggle of screen.getAllByRole('button', { name: /Evidence/ })) fireEvent.click(toggle);
    expect(document.querySelector('img')).toBeNull();
    expect(document.querySelector('[onerror]')).toBeNull();
    expect(screen.getByRole('region', { name: 'Patient' }).textContent).toContain(HOSTILE);
    expect(screen.getAllByText(HOSTILE, { exact: false }).length).toBeGreaterThan(8);
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
    expect(writeText).toHaveBeenCalledWith(reportAsNote(shown, 'Abrocitinib (Cibinqo)'));
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
    expect(area.value).toBe(reportAsNote(shown, 'Abrocitinib (Cibinqo)'));
    expect(document.activeElement).toBe(area);
    expect(area.selectionEnd - area.selectionStart).toBe(area.value.length);
  });

  it('drops the "copied" message once the report changes, so it never vouches for a stale note', async () => {
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText: vi.fn().mockResolvedValue(undefined) } });
    const first = sampleReport();
    const { rerender } = render(<Sidebar report={first} therapy="abrocitinib" onTherapyChange={vi.fn()} showPatientBanner />);
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
