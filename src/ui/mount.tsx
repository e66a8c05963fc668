import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import type { AppDeps } from './deps';

/** Renders the app into the page's #root (index.html). */
export function mountApp<C>(deps: AppDeps<C>): void {
  const container = document.getElementById('root');
  if (!container) return;
  createRoot(container).render(
    <StrictMode>
      <App deps={deps} />
    </StrictMode>,
  );
}
