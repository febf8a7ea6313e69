// Directory events: each member's public profile (every field is in ProfileSet's data, so no call is
// needed to rebuild it), its clearing, and mentor links with the offers that lead to them. Rows are
// kept when cleared or ended (live false, endedAt set), as the chain's history keeps them.
import { enumName, WORK_MODES } from "../decode/enums.ts";
import { rowKey } from "../store/entities.ts";
import type { ContractHandlers } from "./context.ts";

/** Coordinates arrive in hundredths of a degree (about 1.1 km), the rounding the contract enforces. */
const E2 = 100;

export const directoryHandlers: ContractHandlers<"directory"> = {
  ProfileSet({ args, at }, ctx) {
    const row = {
      member: args.member,
      displayName: args.displayName,
      skills: [...args.skills],
      workMode: enumName(WORK_MODES, args.workMode, "work mode"),
      // Empty text is "not given": the API shows null rather than "".
      region: args.region || null,
      city: args.city || null,
      latitude: args.hasCoordinates ? args.latitudeE2 / E2 : null,
      longitude: args.hasCoordinates ? args.longitudeE2 / E2 : null,
      radiusKm: args.radiusKm,
      contactUrl: args.contactUrl || null,
      contentHash: args.contentHash,
      live: true,
      updatedAt: args.at,
      clearedAt: null,
      clearedBy: null,
      clearedReason: null,
      updatedBlock: at.blockNumber,
    };
    ctx.profiles.upsert(args.member, row, row, at);
  },

  ProfileCleared({ args, at }, ctx) {
    ctx.profiles.update(
      args.member,
      {
        live: false,
        clearedAt: args.at,
        clearedBy: args.by,
        clearedReason: args.reason,
        updatedBlock: at.blockNumber,
      },
      at,
    );
  },

  MentorshipOffered({ args, at }, ctx) {
    const key = rowKey([args.mentor, args.mentee]);
    const row = {
      mentor: args.mentor,
      mentee: args.mentee,
      offeredAt: args.at,
      open: true,
      closedAt: null,
      updatedBlock: at.blockNumber,
    };
    ctx.mentorshipOffers.upsert(key, row, row, at);
  },

  MentorshipOfferWithdrawn({ args, at }, ctx) {
    const key = rowKey([args.mentor, args.mentee]);
    ctx.mentorshipOffers.update(key, { open: false, closedAt: args.at, updatedBlock: at.blockNumber }, at);
  },

  // An accepted offer, or governance's assignment (no offer then). Any earlier link of the mentee
  // ended just before (MentorshipEnded), so this replaces the row.
  MentorshipStarted({ args, at }, ctx) {
    const row = {
      mentee: args.mentee,
      mentor: args.mentor,
      since: args.at,
      endedAt: null,
      endedBy: null,
      updatedBlock: at.blockNumber,
    };
    ctx.mentorships.upsert(args.mentee, row, row, at);
    const offer = rowKey([args.mentor, args.mentee]);
    if (ctx.mentorshipOffers.get(offer)?.open)
      ctx.mentorshipOffers.update(
        offer,
        { open: false, closedAt: args.at, updatedBlock: at.blockNumber },
        at,
      );
  },

  MentorshipEnded({ args, at }, ctx) {
    ctx.mentorships.update(
      args.mentee,
      { endedAt: args.at, endedBy: args.by, updatedBlock: at.blockNumber },
      at,
    );
  },
};
