import { ActionCodeSchema, ERROR_CODE_LIST, EVENT_TYPES, FACT_DATA_SCHEMAS, OUTCOMES, PHASES, RoleSchema, WARNING_CODES } from '@asl/chaincode/domain';
import { z } from 'zod';

function fieldNames(schema: z.ZodType): string[] {
  if (schema instanceof z.ZodObject) return Object.keys(schema.shape);
  if (schema instanceof z.ZodUnion) return (schema.options as z.ZodType[]).flatMap(fieldNames);
  return [];
}

/** The dictionary keys the UI needs for every code the domain defines (events, data fields, warnings, …). */
export function domainCodes(): string[] {
  return [
    ...EVENT_TYPES.map((t) => `event.${t}`),
    ...PHASES.map((p) => `phase.${p}`),
    ...OUTCOMES.map((o) => `outcome.${o}`),
    ...WARNING_CODES.map((w) => `warning.${w}`),
    ...ActionCodeSchema.options.map((a) => `action.${a}`),
    ...ERROR_CODE_LIST.map((e) => `error.${e}`),
    ...RoleSchema.options.map((r) => `role.${r}`),
    ...Object.values(FACT_DATA_SCHEMAS).flatMap((s) => fieldNames(s as z.ZodType).map((f) => `field.${f}`)),
    'agency.BamfMSP',
    'agency.ZabSachsenMSP',
  ];
}
