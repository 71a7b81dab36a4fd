import { useI18n } from '../../i18n/i18n.js';

/**
 * The real widget, as a visitor gets it: our /widget.js with the tenant's key, in a frame of its
 * own so its launcher and panel sit in a box instead of over the dashboard. The frame is a
 * `srcdoc` document: it has this page's origin and inherits its Content-Security-Policy, which
 * widget.js fits (a script file from this origin, constructed stylesheets, fetch to this origin),
 * so the CSP needs no change. The server lets this origin use the key whatever the tenant's
 * allowed origins are (Sec-Fetch-Site: same-origin, see src/modules/widget/README.md). The
 * sandbox keeps the widget from navigating the dashboard or opening windows; with scripts and the
 * same origin allowed it is not a wall against hostile code — the framed code is our own widget.
 */
export function WidgetPreview({ apiKey, version }: { apiKey: string; version: number }) {
  const { t, language } = useI18n();
  // The key is `wk_` + letters and digits; escaped anyway since it lands in an attribute.
  const key = apiKey.replace(/[^\w-]/g, '');
  const doc = `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"></head><body><script src="/widget.js" data-api-key="${key}" defer></script></body></html>`;
  return (
    <div className="card">
      <h2>{t('widget.preview')}</h2>
      <p className="muted">{t('widget.previewHelp')}</p>
      <iframe key={`${version}-${language}`} className="widget-preview" title={t('widget.previewFrame')} srcDoc={doc} sandbox="allow-scripts allow-same-origin allow-forms" />
    </div>
  );
}
