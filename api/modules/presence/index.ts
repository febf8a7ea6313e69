// The presence module: proof that the person in front of a client is a member of a practice. A
// challenge (presenceChallenge), a Sign-In with Ethereum message naming it (messageFor), and the
// verdict (verifyPresence); qrCode draws the page's QR codes.
import { defineModule } from "../defineModule.ts";
import { presenceChallenge } from "./resolvers/Mutation/presenceChallenge.ts";
import { PresenceChallenge } from "./resolvers/PresenceChallenge.ts";
import { presenceChallengeInfo } from "./resolvers/Query/presenceChallengeInfo.ts";
import { qrCode } from "./resolvers/Query/qrCode.ts";
import { verifyPresence } from "./resolvers/Query/verifyPresence.ts";

export const presenceModule = defineModule(import.meta.url, {
  resolvers: {
    Query: { presenceChallengeInfo, verifyPresence, qrCode },
    Mutation: { presenceChallenge },
    PresenceChallenge,
  },
});
