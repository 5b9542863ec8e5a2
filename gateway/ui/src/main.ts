import './styles.css';
import { App } from './app';

/** Boots the UI. The gateway names its agency in `<html data-agency>` (an attribute: no inline script under the CSP). */
function boot(): void {
  const root = document.getElementById('app');
  if (!root) return;
  const app = new App(root, document.documentElement.dataset.agency ?? '');
  app.start();
  app.openStreamIfSignedIn();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
else boot();
