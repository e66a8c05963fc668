/**
 * What the launch page says when it cannot redirect. Built with DOM nodes and textContent
 * only: the error text can echo URL parameters, which must never become markup.
 */
export type LaunchMessage =
  | { kind: 'no-launch'; sandboxUrl?: string }
  | { kind: 'error'; message: string };

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  return node;
}

export function renderLaunchMessage(root: HTMLElement, message: LaunchMessage): void {
  const nodes: HTMLElement[] = [];
  if (message.kind === 'no-launch') {
    root.dataset.kind = 'no-launch';
    nodes.push(element('h1', 'Open this app from a patient’s chart'));
    nodes.push(
      element(
        'p',
        'JAK readiness is a SMART on FHIR app. Your EHR starts it from the patient’s chart and passes the FHIR server address (iss) and a launch code. Opening this page directly does nothing.',
      ),
    );
    nodes.push(
      element('p', 'Standalone launch: add ?iss=<FHIR server base URL> to this page’s address and sign in to choose a patient.'),
    );
    if (message.sandboxUrl) {
      const paragraph = element('p', 'In development, launch it from the local test EHR: ');
      const link = element('a', 'open the sandbox EHR');
      link.href = message.sandboxUrl;
      paragraph.append(link);
      nodes.push(paragraph);
    }
  } else {
    root.dataset.kind = 'error';
    nodes.push(element('h1', 'The app could not be launched'));
    nodes.push(element('p', message.message));
    nodes.push(element('p', 'Close this window and launch the app again from the patient’s chart. If it keeps failing, tell your EHR support team.'));
  }
  root.replaceChildren(...nodes);
}
