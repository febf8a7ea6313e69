// Practices events: creation, sunset, leads (or none), seats and successions.
import { zeroAddress } from "viem";
import { enumName, PRACTICE_ROLES } from "../decode/enums.ts";
import { rowKey } from "../store/entities.ts";
import { type ContractHandlers, touched } from "./context.ts";

export const practicesHandlers: ContractHandlers<"practices"> = {
  PracticeCreated({ args, at }, ctx) {
    ctx.practices.insert(
      {
        practiceId: args.practiceId,
        slug: args.slug,
        name: args.name,
        lead: args.lead,
        status: "Active",
        // The lead's seat follows in its own PracticeMemberSet event, which counts it.
        memberCount: 0,
        createdAt: args.at,
        createdBlock: at.blockNumber,
        createdTx: at.txHash,
        createdProposalId: null,
        sunsetAt: null,
        sunsetProposalId: null,
        ...touched(at),
      },
      at,
    );
    ctx.linker.whenExecuted(at, (proposalId) =>
      ctx.practices.amend(args.practiceId, { createdProposalId: proposalId }),
    );
  },

  PracticeSunset({ args, at }, ctx) {
    ctx.practices.update(args.practiceId, { status: "Sunset", sunsetAt: args.at, ...touched(at) }, at);
    ctx.linker.whenExecuted(at, (proposalId) =>
      ctx.practices.amend(args.practiceId, { sunsetProposalId: proposalId }),
    );
  },

  // A zero new lead: the lead departed with no successor, and the practice has no lead (null).
  PracticeLeadChanged({ args, at }, ctx) {
    const lead = args.newLead === zeroAddress ? null : args.newLead;
    ctx.practices.update(args.practiceId, { lead, ...touched(at) }, at);
  },

  PracticeMemberSet({ args, at }, ctx) {
    const key = rowKey([args.practiceId, args.account]);
    const role = enumName(PRACTICE_ROLES, args.role, "practice role");
    const seat = ctx.practiceMembers.get(key);
    const seated = seat !== undefined && seat.role !== "None";
    // A role change keeps the seat's start; a new seat starts now and counts one more member.
    const since = seated ? seat.since : args.at;
    const row = { practiceId: args.practiceId, account: args.account, role, since, ...touched(at) };
    ctx.practiceMembers.upsert(key, row, row, at);
    if (!seated) {
      const practice = ctx.practices.require(args.practiceId);
      ctx.practices.update(args.practiceId, { memberCount: practice.memberCount + 1, ...touched(at) }, at);
    }
  },

  PracticeMemberRemoved({ args, at }, ctx) {
    const key = rowKey([args.practiceId, args.account]);
    ctx.practiceMembers.update(key, { role: "None", since: null, ...touched(at) }, at);
    const practice = ctx.practices.require(args.practiceId);
    ctx.practices.update(args.practiceId, { memberCount: practice.memberCount - 1, ...touched(at) }, at);
  },

  // Emitted after the lead change it explains; the retiring partner's row records who took over.
  Succession({ args, at }, ctx) {
    ctx.members.update(args.partner, { successor: args.successor, ...touched(at) }, at);
  },
};
