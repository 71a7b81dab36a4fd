// widget.js: `<script src="https://shiori.example.com/widget.js" data-api-key="wk_…" defer></script>`.
// The key comes from the tag's data-api-key, the API from the origin the script was loaded from.
import { mountWidget } from './widget.js';

const script = (document.currentScript as HTMLScriptElement | null) ?? document.querySelector<HTMLScriptElement>('script[data-api-key][src*="widget.js"]');
const key = script?.getAttribute('data-api-key')?.trim();
const origin = script ? originOf(script.src) : undefined;

function originOf(src: string): string | undefined {
  try {
    return new URL(src, location.href).origin;
  } catch {
    return undefined; // A src that is no URL: nothing to talk to.
  }
}

if (!key || !origin) {
  console.warn('Shiori widget: the <script> tag needs src (this server’s /widget.js) and data-api-key (see the embed snippet in the dashboard)');
} else {
  const start = () => void mountWidget({ key, origin }).catch((error: unknown) => console.warn('Shiori widget could not start:', error));
  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start, { once: true });
}
