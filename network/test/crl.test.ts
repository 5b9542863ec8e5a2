import { configUpdateEnvelope, revocationListOf, withRevocationList } from '../src/crl';

const config = (list?: string[] | null) => ({
  channel_group: {
    groups: {
      Application: {
        groups: {
          ZabSachsenMSP: { values: { MSP: { value: { config: { name: 'ZabSachsenMSP', revocation_list: list } } } } },
          BamfMSP: { values: { MSP: { value: { config: { name: 'BamfMSP' } } } } },
        },
      },
    },
  },
});
const CRL = '-----BEGIN X509 CRL-----\nMIIB\n-----END X509 CRL-----\n';
const b64 = Buffer.from(CRL).toString('base64');

describe('publishing a CRL to the channel', () => {
  it('makes the CA’s current CRL the org’s only revocation list and leaves everything else alone', () => {
    const original = config(null);
    const { updated, changed } = withRevocationList(original, 'ZabSachsenMSP', CRL);
    expect(changed).toBe(true);
    expect(updated.channel_group.groups.Application.groups.ZabSachsenMSP?.values.MSP.value.config.revocation_list).toEqual([b64]);
    expect(updated.channel_group.groups.Application.groups.BamfMSP).toEqual(original.channel_group.groups.Application.groups.BamfMSP);
    expect(original.channel_group.groups.Application.groups.ZabSachsenMSP.values.MSP.value.config.revocation_list).toBeNull();
    // a newer CRL replaces an older one (a CA's CRL lists every certificate it ever revoked)
    expect(withRevocationList(config(['b2xk']), 'ZabSachsenMSP', CRL).updated.channel_group.groups.Application.groups.ZabSachsenMSP?.values.MSP.value.config.revocation_list).toEqual([b64]);
  });

  it('reports no change when the channel already carries that CRL (nothing is submitted), and refuses an unknown org', () => {
    expect(withRevocationList(config([b64]), 'ZabSachsenMSP', CRL).changed).toBe(false);
    expect(() => withRevocationList(config(), 'GhostMSP', CRL)).toThrow(/GhostMSP is not an application organisation/);
  });

  it('reads the org’s revocation list back as PEM (none when the MSP has none)', () => {
    expect(revocationListOf(config([b64]), 'ZabSachsenMSP')).toEqual([CRL]);
    expect(revocationListOf(config(null), 'ZabSachsenMSP')).toEqual([]);
    expect(revocationListOf(config(), 'BamfMSP')).toEqual([]);
  });

  it('wraps the update in a CONFIG_UPDATE (type 2) envelope for the channel', () => {
    expect(configUpdateEnvelope('ankerdresden', { x: 1 })).toEqual({
      payload: { header: { channel_header: { channel_id: 'ankerdresden', type: 2 } }, data: { config_update: { x: 1 } } },
    });
  });
});
