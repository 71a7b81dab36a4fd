import { useState } from 'react';
import { useI18n } from '../i18n/i18n.js';

/** Copies `text` to the clipboard and says so (in a live region); falls back to selecting `fallbackTarget`'s text. */
export function CopyButton({ text, label, fallbackTarget }: { text: string; label?: string; fallbackTarget?: string }) {
  const { t } = useI18n();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      // No clipboard permission (an insecure origin, a browser policy): select it for Ctrl+C instead.
      const target = fallbackTarget ? document.getElementById(fallbackTarget) : null;
      if (target) window.getSelection()?.selectAllChildren(target);
      setState('failed');
    }
  }
  return (
    <span className="copy">
      <button type="button" className="small" onClick={() => void copy()}>
        {label ?? t('settings.copy')}
      </button>
      <span role="status" aria-live="polite" className="muted">
        {state === 'copied' ? t('settings.copied') : state === 'failed' ? t('settings.copyFailed') : ''}
      </span>
    </span>
  );
}
