import { useEffect, useRef } from 'react';
import { CopyButton } from '../../components/copy-button.js';
import { useI18n } from '../../i18n/i18n.js';

/** A signing secret the API returned this once (on creation or rotation): shown with a copy button, never again. */
export function OneTimeSecret({ url, secret }: { url: string; secret: string }) {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [secret]);
  return (
    <div className="one-time" data-testid="webhook-secret">
      <h3 ref={heading} tabIndex={-1}>
        {t('webhooks.secretTitle', { url })}
      </h3>
      <p className="muted">{t('webhooks.secretHelp')}</p>
      <code id="webhook-secret" className="code">
        {secret}
      </code>
      <CopyButton text={secret} fallbackTarget="webhook-secret" />
    </div>
  );
}
