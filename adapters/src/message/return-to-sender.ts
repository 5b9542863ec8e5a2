/**
 * Builds the `Administration.ReturnToSender.000001` that answers a message the adapter cannot accept
 * or could not record: the reason code, findings (paths and codes, never values) and the rejected
 * message itself (base64), addressed back to its author.
 */
import type { Message, Rejection } from './codec';
import { RETURN_TO_SENDER_TYPE } from './message-types';

/** What a rejection needs besides the rejection itself. */
export interface ReturnToSenderInput {
  readonly rejection: Rejection;
  /** The rejected message's bytes, returned as they came. */
  readonly rejected: Uint8Array;
  /** The id of this ReturnToSender message. */
  readonly nachrichtUUID: string;
  /** Now (RFC 3339). */
  readonly now: string;
  /** Who rejects (this adapter's agency). */
  readonly rejectingAuthority: string;
  /** Who gets it when the rejected message named no readable author (the configured case system). */
  readonly defaultReader: string;
}

/** The ReturnToSender message for a rejection. */
export function returnToSender(input: ReturnToSenderInput): Message {
  const { rejection } = input;
  return {
    kind: 'returnToSender',
    body: {
      nachrichtenkopf: {
        nachrichtUUID: input.nachrichtUUID,
        nachrichtentyp: RETURN_TO_SENDER_TYPE.code,
        erstellungszeitpunkt: input.now,
        autor: { kennung: input.rejectingAuthority },
        leser: { kennung: rejection.author ?? input.defaultReader },
      },
      rueckweisendeStelle: { kennung: input.rejectingAuthority },
      begruendung: { grund: rejection.reason, fehler: [...rejection.findings] },
      transportinformationen: {
        ...(rejection.nachrichtUUID === undefined ? {} : { nachrichtenID: rejection.nachrichtUUID }),
        empfangszeitpunkt: input.now,
      },
      abgewieseneNachricht: { nachricht: Buffer.from(input.rejected).toString('base64') },
    },
  };
}
