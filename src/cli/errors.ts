import { UserError } from '../errors.ts';

/** A verb called wrongly: printed as one line with the right way to call it. */
export class UsageError extends UserError {}
