import { useId } from 'react';
import type { RegisteredGateway } from '../../api/client';
import { useI18n } from '../../i18n';
import { CopyButton } from '../../ui/copy-button';
import { Dialog } from '../../ui/dialog';

/** The port of the platform's NATS JetStream, which the standalone gateway's uplink uses. */
export const natsPort = 4222;

/**
 * The `gw.yaml` for `yulian gateway --config gw.yaml`: the gateway's id, this platform (the console's
 * own origin) with the token, and the uplink on the same host's NATS.
 *
 * @example
 * gatewayYaml({ id: 'gw-2', token: 'ylg_…', origin: 'http://10.0.0.5:8080', hostname: '10.0.0.5' })
 */
export function gatewayYaml(options: { id: string; token: string; origin: string; hostname: string }): string {
  const host = options.hostname.includes(':') && !options.hostname.startsWith('[') ? `[${options.hostname}]` : options.hostname;
  return [
    `id: ${options.id}`,
    'platform:',
    `  url: ${options.origin}`,
    `  token: ${options.token}`,
    'uplink:',
    `  bus: nats://${host}:${natsPort}`,
    '',
  ].join('\n');
}

/** Props of {@link GatewayTokenDialog}. */
export interface GatewayTokenDialogProps {
  registered: RegisteredGateway;
  /** True after a rotation: the old token has stopped working. */
  rotated?: boolean;
  onClose: () => void;
}

/**
 * The gateway's token, shown this once: with a copy button, a clear warning and a ready-to-paste
 * `gw.yaml`. Closing the dialog forgets the token; the console cannot show it again.
 */
export function GatewayTokenDialog({ registered, rotated = false, onClose }: GatewayTokenDialogProps) {
  const { t } = useI18n();
  const tokenId = useId();
  const { gateway, token } = registered;
  const yaml = gatewayYaml({ id: gateway.id, token, origin: window.location.origin, hostname: window.location.hostname });
  return (
    <Dialog title={t(rotated ? 'gateways.tokenRotatedTitle' : 'gateways.tokenTitle', { id: gateway.id })} onClose={onClose} wide>
      <div className="alert alert-warn" role="note">
        <p className="alert-headline">{t('gateways.tokenOnce')}</p>
        {rotated ? <p className="alert-detail">{t('gateways.tokenOldVoid')}</p> : null}
      </div>
      <div className="field">
        <label className="field-label" htmlFor={tokenId}>
          {t('gateways.token')}
        </label>
        <div className="copy-row">
          <input id={tokenId} className="input-mono" readOnly value={token} onFocus={(e) => e.currentTarget.select()} />
          <CopyButton text={token} label={t('gateways.copyToken')} />
        </div>
      </div>
      <figure className="code-figure">
        <figcaption className="field-label">{t('gateways.yamlTitle')}</figcaption>
        <pre className="code-block" tabIndex={0}>
          <code>{yaml}</code>
        </pre>
        <div className="copy-row">
          <CopyButton text={yaml} label={t('gateways.copyYaml')} />
          <span className="field-hint">{t('gateways.yamlHint', { command: 'yulian gateway --config gw.yaml', port: natsPort })}</span>
        </div>
      </figure>
      <div className="form-actions">
        <button type="button" className="button button-primary" onClick={onClose}>
          {t('gateways.tokenSaved')}
        </button>
      </div>
    </Dialog>
  );
}
