import { useId } from 'react';
import { useResource } from '../../api/use-resource';
import { useI18n } from '../../i18n';
import { useApi } from '../auth/session-context';

/** Side by side on a wide screen, stacked on a narrow one; the console's styles.css stays untouched. */
const layout = { display: 'flex', flexWrap: 'wrap', gap: '16px 24px', alignItems: 'center' } as const;
const qrBox = { width: 148, height: 148, flex: '0 0 auto', background: '#fff' } as const;

/**
 * 标识 · Identifier card of a device page: the device's identifier (`<enterprise prefix>/dev.<id>`, the
 * server registers it on first use), its QR code (the public page's URL, drawn by the server) and links
 * to the public page `/r/<identifier>` and the PNG for printing a label.
 */
export function DeviceIdentifier({ device }: { device: string }) {
  const { t } = useI18n();
  const api = useApi();
  const headingId = useId();
  const answer = useResource((signal) => api.deviceIdentifier(device, { signal }), [api, device]);
  const info = answer.data;
  // An unknown device: the page says so once; no second alert here.
  if (answer.error?.code === 'DEVICE_NOT_FOUND') return null;
  return (
    <section className="panel" aria-labelledby={headingId} data-testid="device-identifier">
      <h2 className="panel-title" id={headingId}>
        {t('deviceIdentifier.title')}
      </h2>
      {answer.error ? (
        <p role="alert">{t('deviceIdentifier.error', { message: answer.error.message })}</p>
      ) : !info ? (
        <p className="muted">{t('deviceIdentifier.loading')}</p>
      ) : !info.identifier ? (
        <p className="muted">{t('deviceIdentifier.none')}</p>
      ) : (
        <div style={layout}>
          {info.qrSvgUrl ? <img src={info.qrSvgUrl} alt={t('deviceIdentifier.qrAlt', { identifier: info.identifier })} width={148} height={148} style={qrBox} /> : null}
          <div>
            <dl className="device-facts" style={{ margin: '0 0 12px', padding: 0, border: 0 }}>
              <div>
                <dt>{t('deviceIdentifier.label')}</dt>
                <dd>
                  <code data-testid="device-identifier-value">{info.identifier}</code>
                </dd>
              </div>
            </dl>
            {info.registered ? null : <p className="muted">{t('deviceIdentifier.notRegistered')}</p>}
            <p className="muted">{t('deviceIdentifier.hint')}</p>
            <p>
              {info.pageUrl ? (
                <a href={info.pageUrl} target="_blank" rel="noopener noreferrer">
                  {t('deviceIdentifier.publicPage')}
                </a>
              ) : null}
              {info.qrPngUrl ? (
                <>
                  {' · '}
                  <a href={info.qrPngUrl} download>
                    {t('deviceIdentifier.downloadPng')}
                  </a>
                </>
              ) : null}
            </p>
          </div>
        </div>
      )}
    </section>
  );
}
