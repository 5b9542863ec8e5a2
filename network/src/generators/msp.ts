import { stringify } from 'yaml';

/** File name every assembled MSP uses for its root CA certificate (fabric-ca-client's own name varies). */
export const MSP_CA_CERT = 'cacerts/ca.pem';
/** File name of the TLS root CA in an MSP. */
export const MSP_TLS_CA_CERT = 'tlscacerts/tlsca.pem';

/**
 * `config.yaml` of an MSP with NodeOUs enabled: the OU fabric-ca writes into a certificate (its
 * registered type: client, peer, admin, orderer) decides the role, so policies can say
 * `'BamfMSP.peer'` / `'BamfMSP.admin'` without admincerts.
 */
export function nodeOusConfigYaml(): string {
  const ou = (id: string): { Certificate: string; OrganizationalUnitIdentifier: string } => ({
    Certificate: MSP_CA_CERT,
    OrganizationalUnitIdentifier: id,
  });
  return stringify({
    NodeOUs: {
      Enable: true,
      ClientOUIdentifier: ou('client'),
      PeerOUIdentifier: ou('peer'),
      AdminOUIdentifier: ou('admin'),
      OrdererOUIdentifier: ou('orderer'),
    },
  });
}

/** Folders of a local MSP (fabric msp/configbuilder.go names). */
export const LOCAL_MSP_DIRS = ['cacerts', 'signcerts', 'keystore'] as const;
/** Folders of a channel (org) MSP as configtxgen reads it. */
export const ORG_MSP_DIRS = ['cacerts', 'tlscacerts'] as const;
