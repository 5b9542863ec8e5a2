/**
 * Signature policies as the topology states them, read as the set of MSPs that must endorse. Used by the
 * organisation facts generator (generators/org-facts.ts) and by the gateway's launcher (the endorsement its
 * receipts require), so both read a policy the same way.
 */

/**
 * The MSPs that must all endorse under a signature policy: `AND('A.peer','B.peer')` (every principal's MSP) or an
 * `OR` of one principal. Other shapes (an `OR` of several, `OutOf`, nesting) cannot be stated as one required set, so
 * they are refused rather than read wrongly.
 */
export function policyEndorsers(policy: string): string[] {
  const m = /^\s*(AND|OR)\s*\(\s*((?:'[^'()]+'\s*,\s*)*'[^'()]+')\s*\)\s*$/.exec(policy);
  const principals = m?.[2] === undefined ? [] : [...m[2].matchAll(/'([^'.]+)\.(peer|member)'/g)].map((p) => p[1] ?? '');
  const count = m?.[2]?.split(',').length ?? 0;
  if (!m || principals.length !== count || (m[1] === 'OR' && new Set(principals).size > 1)) {
    throw new Error(`endorsement policy ${policy} is not an AND of MSP principals or an OR of one`);
  }
  return [...new Set(principals)].sort();
}
