/** Named reads of the credentials slice (the credential prompt): components select through these, not inline. */
import type { Store } from '../types';

export const credentialsSelectors = {
  credentialRequest: (s: Store) => s.credentialRequest,
  answerCredential: (s: Store) => s.answerCredential,
};
