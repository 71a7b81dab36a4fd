import { useEffect, useRef, useState } from 'react';
import { CopyButton } from '../../components/copy-button.js';
import { useI18n } from '../../i18n/i18n.js';

/** The ten one-time recovery codes, shown once: copy, or download as a text file. */
export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone(): void }) {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  const [href, setHref] = useState<string>();
  const text = `${codes.join('\n')}\n`;
  useEffect(() => {
    heading.current?.focus();
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    setHref(url);
    return () => URL.revokeObjectURL(url);
  }, [text]);
  return (
    <div className="one-time">
      <h3 ref={heading} tabIndex={-1}>
        {t('account.recoveryTitle')}
      </h3>
      <p>{t('account.recoveryHelp')}</p>
      <ol id="recovery-codes" className="codes" data-testid="recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <div className="actions start">
        <CopyButton text={text} fallbackTarget="recovery-codes" />
        {href && (
          <a className="button small" href={href} download="shiori-recovery-codes.txt">
            {t('account.download')}
          </a>
        )}
        <button type="button" className="primary" onClick={onDone}>
          {t('account.savedCodes')}
        </button>
      </div>
    </div>
  );
}
