/**
 * A DOM node to mount into with ReactDOM.render, without Testing Library's act(): how Deck mounts
 * a stage config, so what is in the DOM when render returns is what the browser can paint. A new
 * node per test, unmounted and removed after it.
 */
import ReactDOM from 'react-dom';

export function usePlainHost(): () => HTMLElement {
  let host: HTMLElement | undefined;
  beforeEach(() => {
    host = document.body.appendChild(document.createElement('div'));
  });
  afterEach(() => {
    if (host) ReactDOM.unmountComponentAtNode(host);
    host?.remove();
  });
  return () => host!;
}
