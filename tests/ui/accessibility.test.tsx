import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import axe from 'axe-core';
import { Sidebar } from '../../src/ui/Sidebar';
import { AuthErrorScreen, LoadingScreen, NoLaunchScreen } from '../../src/ui/Screens';
import { ITEM_STATUSES } from '../../src/contract/report';
import { caution, item, report } from './fixtures';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

async function violations(): Promise<string[]> {
  // jsdom has no canvas; axe's icon-ligature check then skips instead of logging an error.
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
  const result = await axe.run(document.body, {
    // jsdom computes no colours; contrast is chosen by hand (ratios in sidebar.css).
    rules: { 'color-contrast': { enabled: false } },
  });
  return result.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

describe('accessibility (axe-core)', () => {
  it('finds no violations in a full sidebar with evidence open', async () => {
    const shown = report({
      dataGaps: [{ resourceType: 'Observation', reason: 'HTTP 503' }],
      checklist: ITEM_STATUSES.map((status, index) =>
        item({
          id: (['cbc', 'liver-enzymes', 'lipid-panel', 'tb-screening', 'hepatitis-b', 'hepatitis-c', 'pregnancy-test'] as const)[index]!,
          status,
          evidence: [{ reference: 'Observation/o1', date: '2026-10-01', display: 'Hemoglobin', value: '13.1 g/dL', match: 'code' }],
        }),
      ),
      cautions: [
        caution({ id: 'cytopenia', severity: 'do-not-start' }),
        caution({ id: 'smoking', severity: 'warning', unconfirmed: true }),
        caution({ id: 'already-on-jak-inhibitor', severity: 'info' }),
      ],
      factors: [{ id: 'extent', label: 'Extent', value: 'not documented' }],
    });
    render(<Sidebar report={shown} therapy="oral" onTherapyChange={vi.fn()} showPatientBanner />);
    fireEvent.click(screen.getAllByRole('button', { name: /Evidence/ })[0]!);
    expect(await violations()).toEqual([]);
  });

  it('finds no violations in the loading and error screens', async () => {
    render(
      <>
        <LoadingScreen />
      </>,
    );
    expect(await violations()).toEqual([]);
    cleanup();
    render(<NoLaunchScreen devSandboxUrl="/ehr/" />);
    expect(await violations()).toEqual([]);
    cleanup();
    render(<AuthErrorScreen error="invalid_scope" description="patient/*.read not allowed" />);
    expect(await violations()).toEqual([]);
  });

  it('makes every control a real, keyboard-focusable button, link or select', () => {
    const shown = report({ checklist: [item({ id: 'cbc', status: 'missing' })] });
    render(<Sidebar report={shown} therapy="oral" onTherapyChange={vi.fn()} showPatientBanner />);
    const clickable = document.querySelectorAll('[onclick], [role="button"]:not(button)');
    expect(clickable).toHaveLength(0);
    for (const control of document.querySelectorAll('button, select, a')) {
      expect(control.getAttribute('tabindex')).not.toBe('-1');
    }
  });
});
