/**
 * The credential prompt's request, and its answer. The secret passes through `answerCredential`
 * to the back end and is never kept in the store.
 */
import type { CredentialRequest } from '../../shared/api/contract';
import { call } from '../api';
import type { Slice } from './types';

export interface CredentialsSlice {
  /** The back end waits for an answer to this. */
  credentialRequest: CredentialRequest | null;
  /** A server asked for credentials (the `credentials:request` event). */
  askCredential(req: CredentialRequest): void;
  /** Answers the open request (null username and password: cancelled) and closes the prompt. */
  answerCredential(username: string | null, password: string | null, remember: boolean): Promise<void>;
}

export const createCredentialsSlice: Slice<CredentialsSlice> = (set, get) => ({
  credentialRequest: null,
  askCredential(req) {
    set({ credentialRequest: req });
  },
  async answerCredential(username, password, remember) {
    const req = get().credentialRequest;
    if (!req) return;
    set({ credentialRequest: null });
    // A lost answer only leaves the back end's prompt to time out: nothing to show here.
    await call('credentials:answer', { requestId: req.requestId, username, password, remember }).catch(() => undefined);
  },
});
