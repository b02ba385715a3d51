/**
 * Error replies on the wire, in a module of their own: a client maps replies to errors without
 * loading the schemas.
 */
import { UserError } from '../errors.ts';

/** JSON-RPC error codes: the standard ones, then drover's (-32000 to -32099 are for servers). */
export const ErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  /** A handler failed; the message says why. */
  Failed: -32000,
  HelloRequired: -32001,
  VersionMismatch: -32002,
  /** The caller may not call this method: an agent asking for what is the person's, or the reverse. */
  NotAllowed: -32003,
} as const;

/** An error reply: thrown by handlers to choose the code, and by the client for any error reply. */
export class RpcError extends UserError {
  constructor(
    message: string,
    readonly code: number,
    readonly data?: unknown,
  ) {
    super(message);
  }
}
