// The proposals view's browser wallet: "Connect wallet", then, on the firm's chain, the ballots the
// partner holds on each open proposal and a vote on it (For, Against or Abstain, with an optional
// reason), a new practice to propose, and "Queue" and "Execute" on a passed proposal when they apply.
// Each action does what its CLI command does (firm vote, firm propose practice, firm queue, firm
// execute): the same ABIs and checks, a simulation first, and a refusal in the same words.
import { alertBox, formatTime, formatUnits, h, hex, loading, shortId, show } from "./dom.js";
import { query } from "./graphql.js";
import {
  appendProposerSuffix,
  PRACTICE_NAME_MAX_BYTES,
  PRACTICE_SLUG,
  PRACTICE_SLUG_RULE,
  practiceProposalText,
} from "./proposalText.js";
import {
  abiOf,
  connectWallet,
  describeSwitchFailure,
  discoverWallets,
  explainFailure,
  hasCode,
  readFirm,
  sendFirm,
  simulateFirm,
  switchChain,
  USER_REJECTED,
} from "./wallet.js";

/** GovernorCountingSimple's support values, as `firm vote` sends them. */
const SUPPORTS = [
  ["For", 1],
  ["Against", 0],
  ["Abstain", 2],
];

/** How often, and how long, to ask the API whether it has indexed a transaction's block. */
const INDEX_POLL_MS = 1_000;
const INDEX_WAIT_MS = 120_000;

const INDEXED_QUERY = "query Indexed { indexingStatus { indexedBlock } }";

/**
 * Mounts the wallet's panel in `container`; the returned fillCards(proposals) puts each proposal's
 * actions in its card's slot, and is called again each time the list is drawn.
 * @param {HTMLElement} container
 * @param {{ firm: any, now(): number }} context
 * @param {() => Promise<void>} reload draws the list again from the API
 */
export function mountWallet(container, context, reload) {
  /** @type {any} */
  let session = null;
  let partner = false;
  /** @type {any[]} */
  let proposals = [];
  const status = h("div", { id: "wallet-status", "aria-live": "polite" });
  const proposeArea = h("div", { id: "wallet-propose" });
  show(container, h("h3", {}, "Your wallet"), status, proposeArea);

  /** The wallet's events (another chain, another account) draw the panel and the cards again. */
  const redraw = async (/** @type {() => Promise<void>} */ change) => {
    try {
      await change();
      await refresh();
    } catch (error) {
      show(status, alertBox(explainFailure(session, error, "read the chain through your wallet").message));
    }
  };
  const onChainChanged = (/** @type {string} */ chainId) =>
    redraw(async () => {
      session.chainId = Number(chainId);
    });
  const onAccountsChanged = () =>
    redraw(async () => {
      session = await connectWallet(session.offer, context.firm);
    });

  async function connect(offer) {
    show(status, loading("Waiting for your wallet…"));
    try {
      if (session?.offer.provider.removeListener) {
        session.offer.provider.removeListener("chainChanged", onChainChanged);
        session.offer.provider.removeListener("accountsChanged", onAccountsChanged);
      }
      session = await connectWallet(offer, context.firm);
      offer.provider.on?.("chainChanged", onChainChanged);
      offer.provider.on?.("accountsChanged", onAccountsChanged);
      await refresh();
    } catch (error) {
      session = null;
      show(
        status,
        alertBox(
          hasCode(error, USER_REJECTED)
            ? "You declined to connect in your wallet: nothing was shared."
            : `Cannot connect: ${error?.message ?? error}`,
        ),
        connectButtons(),
      );
    }
  }

  function connectButtons() {
    return h(
      "button",
      {
        type: "button",
        id: "wallet-connect",
        onclick: async () => {
          if (!context.firm) {
            show(status, alertBox("The firm's API could not be read, so there is nothing to vote on yet."));
            return;
          }
          const offers = await discoverWallets();
          if (offers.length === 0) {
            show(
              status,
              alertBox(
                "No browser wallet here: install one (a browser extension), or open this page in your wallet's browser. " +
                  "You can also vote from a terminal: firm vote <proposal> for.",
              ),
              connectButtons(),
            );
          } else if (offers.length === 1) {
            await connect(offers[0]);
          } else {
            show(
              status,
              h("p", {}, "Several wallets are installed: which one holds your partner account?"),
              offers.map((offer) =>
                h(
                  "button",
                  { type: "button", class: "wallet-offer", onclick: () => connect(offer) },
                  `Connect ${offer.info.name}`,
                ),
              ),
            );
          }
        },
      },
      "Connect wallet",
    );
  }

  /** Whether the wallet is on the firm's chain, and who is connected; then the cards again. */
  async function refresh() {
    const wanted = context.firm.chainId;
    if (session.chainId !== wanted) {
      partner = false;
      show(proposeArea);
      const outcome = h("p", { class: "wallet-outcome", role: "status" });
      show(
        status,
        h(
          "p",
          { class: "notice", id: "wallet-wrong-chain" },
          `Your wallet is on chain ${session.chainId}, and the firm's contracts are on chain ${wanted}. Switch to it to vote or propose.`,
        ),
        h(
          "button",
          {
            type: "button",
            onclick: async () => {
              try {
                await switchChain(session);
                // A wallet that switches says chainChanged; one that does not is asked again.
                session.chainId = Number(await session.offer.provider.request({ method: "eth_chainId" }));
                await refresh();
              } catch (error) {
                show(outcome, alertBox(describeSwitchFailure(error, wanted)));
              }
            },
          },
          `Switch to chain ${wanted}`,
        ),
        outcome,
      );
      await fillSlots();
      return;
    }
    partner = await readFirm(session, {
      contract: "partnership",
      address: context.firm.contracts.partnership,
      functionName: "isActivePartner",
      args: [session.address],
    });
    show(
      status,
      h(
        "p",
        { id: "wallet-account", "data-address": session.address, "data-partner": String(partner) },
        "Connected as ",
        hex(session.address),
        partner ? ", a partner of the firm." : ".",
      ),
      partner
        ? null
        : alertBox(
            `${session.address} is not an active partner of the firm: only partners vote and propose. ` +
              "Choose a partner's account in your wallet. Anyone may still queue and execute a passed proposal.",
          ),
    );
    show(proposeArea, partner ? proposeForm() : null);
    await fillSlots();
  }

  async function fillSlots() {
    await Promise.all(
      proposals.map(async (proposal) => {
        const slot = document.querySelector(`.wallet-slot[data-slot="${proposal.id}"]`);
        if (!slot) return;
        if (!session || session.chainId !== context.firm.chainId) {
          show(slot);
          return;
        }
        try {
          show(slot, await slotContent(proposal));
        } catch (error) {
          show(slot, alertBox(explainFailure(session, error, "read your ballots").message));
        }
      }),
    );
  }

  async function slotContent(proposal) {
    const outcome = h("div", { class: "wallet-outcome", role: "status" });
    const governor = context.firm.contracts.governor;
    const id = BigInt(proposal.id);
    if (proposal.state === "ACTIVE" && partner) {
      const ballot = await readFirm(session, {
        contract: "partnership",
        address: context.firm.contracts.partnership,
        functionName: "ballot",
        args: [session.address, BigInt(proposal.snapshot)],
      });
      const castBy = (/** @type {string} */ account) =>
        readFirm(session, {
          contract: "firmGovernor",
          address: governor,
          functionName: "hasVoted",
          args: [id, account],
        });
      // hasVoted is also true of a recused subject's ballot, which was never cast: the vote then says why.
      const recused = proposal.recusals.some((/** @type {string} */ account) =>
        sameAddress(account, session.address),
      );
      const [selfCast, coveredCast] = await Promise.all([
        ballot.selfIndex === 0n || castBy(session.address),
        ballot.coveredIndex === 0n || castBy(ballot.covered),
      ]);
      const held = ballot.selfIndex !== 0n || ballot.coveredIndex !== 0n;
      const voted = held && selfCast && coveredCast && !recused;
      return [ballotsLine(ballot, voted), voted ? null : voteForm(proposal, outcome), outcome];
    }
    if (proposal.state === "PENDING" && partner) {
      return h(
        "p",
        { class: "ballots", "data-pending": "true" },
        `Voting opens ${formatTime(proposal.voteStart)}: the ballots you hold at its snapshot are yours to cast then.`,
      );
    }
    const step = stepOf(proposal);
    if (!step) return [];
    return [
      h(
        "button",
        {
          type: "button",
          class: "wallet-step",
          onclick: (/** @type {Event} */ event) =>
            runStep(proposal, step, /** @type {any} */ (event.currentTarget), outcome),
        },
        step === "queue" ? "Queue" : "Execute",
      ),
      outcome,
    ];
  }

  /** "queue" for a passed proposal, "execute" for a queued one past its eta; else nothing to do. */
  function stepOf(proposal) {
    if (proposal.state === "SUCCEEDED") return "queue";
    if (proposal.state === "QUEUED" && proposal.eta !== null && context.now() >= proposal.eta)
      return "execute";
    return undefined;
  }

  function ballotsLine(ballot, voted) {
    const { selfIndex, selfWeight, coveredIndex, coveredWeight, covered } = ballot;
    const held = [];
    if (selfIndex !== 0n) held.push(`your own (${formatUnits(selfWeight)} units)`);
    if (coveredIndex !== 0n)
      held.push(`as cover for ${covered}, on leave (${formatUnits(coveredWeight)} units)`);
    if (voted)
      return h(
        "p",
        { class: "ballots", "data-voted": "true" },
        "You have cast your ballots on this proposal.",
      );
    if (held.length === 0) {
      return h(
        "p",
        { class: "ballots", "data-held": "0" },
        "You hold no ballot on this proposal: only the partners at its snapshot vote (a partner on leave through their cover).",
      );
    }
    return h(
      "p",
      { class: "ballots", "data-held": String(held.length) },
      `Your ballots: ${held.join("; ")}.`,
    );
  }

  function voteForm(proposal, outcome) {
    const reasonId = `reason-${proposal.id}`;
    const reason = h("input", {
      id: reasonId,
      name: "reason",
      type: "text",
      maxlength: 1000,
      autocomplete: "off",
    });
    const vote = async (name, support, button) => {
      const text = /** @type {HTMLInputElement} */ (reason).value.trim();
      await send(
        button,
        outcome,
        {
          contract: "firmGovernor",
          address: context.firm.contracts.governor,
          functionName: text ? "castVoteWithReason" : "castVote",
          args: text ? [BigInt(proposal.id), support, text] : [BigInt(proposal.id), support],
        },
        `vote on proposal ${shortId(proposal.id)}`,
        () => `Voted ${name} on proposal ${shortId(proposal.id)} as ${session.address}`,
      );
    };
    return h(
      "div",
      { class: "vote" },
      h("div", { class: "field grow" }, h("label", { for: reasonId }, "Reason (optional)"), reason),
      SUPPORTS.map(([name, support]) =>
        h(
          "button",
          {
            type: "button",
            onclick: (/** @type {Event} */ event) => vote(name, support, event.currentTarget),
          },
          `Vote ${name}`,
        ),
      ),
    );
  }

  async function runStep(proposal, step, button, outcome) {
    const { viem } = session.tools;
    const actions = proposal.actions;
    await send(
      button,
      outcome,
      {
        contract: "firmGovernor",
        address: context.firm.contracts.governor,
        functionName: step,
        args: [
          actions.map((action) => action.target),
          actions.map((action) => BigInt(action.value)),
          actions.map((action) => action.calldata),
          viem.keccak256(viem.toBytes(proposal.description)),
        ],
      },
      `${step} proposal ${shortId(proposal.id)}`,
      () => `${step === "queue" ? "Queued" : "Executed"} proposal ${shortId(proposal.id)}: ${proposal.title}`,
    );
  }

  function proposeForm() {
    const outcome = h("div", { class: "wallet-outcome", role: "status" });
    const field = (id, label, attributes = {}) =>
      h(
        "div",
        { class: "field" },
        h("label", { for: id }, label),
        h("input", {
          id,
          name: id,
          type: "text",
          required: true,
          autocomplete: "off",
          spellcheck: "false",
          ...attributes,
        }),
      );
    const form = h(
      "form",
      {
        id: "propose-practice",
        class: "query",
        onsubmit: async (/** @type {SubmitEvent} */ event) => {
          event.preventDefault();
          const data = new FormData(/** @type {HTMLFormElement} */ (event.currentTarget));
          await proposePractice(
            {
              slug: String(data.get("practice-slug") ?? ""),
              name: String(data.get("practice-name") ?? ""),
              lead: String(data.get("practice-lead") ?? ""),
            },
            /** @type {HTMLButtonElement} */ (form.querySelector("button")),
            outcome,
          );
        },
      },
      field("practice-slug", "Slug", { placeholder: "cloud-ops" }),
      field("practice-name", "Name"),
      field("practice-lead", "Lead", { placeholder: "0x…", autocapitalize: "off" }),
      h("button", { type: "submit" }, "Propose"),
    );
    return [
      h("h4", {}, "Propose a new practice"),
      h(
        "p",
        { class: "muted" },
        "It is checked first as the treasury would run it now, then proposed in your name (#proposer=).",
      ),
      form,
      outcome,
    ];
  }

  async function proposePractice(input, button, outcome) {
    const { viem } = session.tools;
    const slug = input.slug.trim();
    const name = input.name.trim();
    const bytes = new TextEncoder().encode(name).length;
    if (!PRACTICE_SLUG.test(slug)) {
      show(outcome, alertBox(`The slug "${input.slug}" is not a practice slug. ${PRACTICE_SLUG_RULE}`));
      return;
    }
    if (bytes === 0 || bytes > PRACTICE_NAME_MAX_BYTES) {
      show(outcome, alertBox(`The name must be 1 to ${PRACTICE_NAME_MAX_BYTES} bytes (it is ${bytes}).`));
      return;
    }
    if (!viem.isAddress(input.lead.trim())) {
      show(
        outcome,
        alertBox(
          `The lead is not an address: “${input.lead}”. An address is 0x followed by 40 hexadecimal digits; in mixed case it must also carry a valid EIP-55 checksum.`,
        ),
      );
      return;
    }
    const lead = viem.getAddress(input.lead.trim());
    const { title, body } = practiceProposalText({ slug, name, lead });
    const description = appendProposerSuffix(`${title}\n\n${body}`, session.address);
    const action = {
      contract: "practices",
      address: context.firm.contracts.practices,
      functionName: "createPractice",
      args: [slug, name, lead],
    };
    button.disabled = true;
    try {
      // The dry run of `firm propose`: the action as the treasury would run it now.
      show(outcome, loading("Checking the action as the treasury would run it now…"));
      await simulateFirm(
        session,
        { ...action, account: context.firm.contracts.timelock },
        "propose this",
      ).catch((error) => {
        throw Object.assign(error, {
          message: `${error.message} (its action createPractice would revert if executed now)`,
        });
      });
    } catch (error) {
      button.disabled = false;
      showFailure(outcome, error);
      return;
    }
    button.disabled = false;
    const calldata = viem.encodeFunctionData({
      abi: abiOf(session, "practices"),
      functionName: action.functionName,
      args: action.args,
    });
    await send(
      button,
      outcome,
      {
        contract: "firmGovernor",
        address: context.firm.contracts.governor,
        functionName: "propose",
        args: [[action.address], [0n], [calldata], description],
      },
      "propose",
      (sent) => {
        const [created] = viem.parseEventLogs({
          abi: abiOf(session, "firmGovernor"),
          eventName: "ProposalCreated",
          logs: sent.logs,
        });
        return `Proposal ${created ? shortId(String(created.args.proposalId)) : ""} created: ${title}`;
      },
    );
  }

  /**
   * Sends `call` through the wallet (simulated first), says what happened, and draws the list again
   * once the API has indexed the transaction's block.
   */
  async function send(button, outcome, call, doing, done) {
    button.disabled = true;
    show(outcome, loading("Simulating, then waiting for your wallet…"));
    let sent;
    try {
      sent = await sendFirm(session, call, doing);
    } catch (error) {
      button.disabled = false;
      showFailure(outcome, error);
      return;
    }
    show(
      outcome,
      h(
        "p",
        { class: "sent", "data-block": sent.blockNumber.toString() },
        `${done(sent)}: transaction `,
        hex(sent.hash),
        ` in block ${sent.blockNumber}. Waiting for the API to index it…`,
      ),
    );
    await waitForIndex(Number(sent.blockNumber));
    await reload();
  }

  function showFailure(outcome, error) {
    const failure = explainFailure(session, error, "do this");
    show(
      outcome,
      h(
        "div",
        { class: "error", role: "alert", "data-error": failure.code ?? "" },
        h("p", {}, failure.message),
        failure.hint ? h("p", { class: "hint" }, failure.hint) : null,
      ),
    );
  }

  show(status, connectButtons());
  return {
    /** @param {any[]} list the proposals drawn, each with its card's slot */
    async fillCards(list) {
      proposals = list;
      await fillSlots();
    },
  };
}

/** @param {string} a @param {string} b */
function sameAddress(a, b) {
  return a.toLowerCase() === b.toLowerCase();
}

/** Waits until the API has indexed `block`, so the list drawn again shows what was just done. */
async function waitForIndex(block) {
  const deadline = Date.now() + INDEX_WAIT_MS;
  while (Date.now() < deadline) {
    try {
      const { indexingStatus } = await query(INDEXED_QUERY);
      if ((indexingStatus.indexedBlock ?? -1) >= block) return;
    } catch {
      // The API is briefly unreachable: ask again.
    }
    await new Promise((resolve) => setTimeout(resolve, INDEX_POLL_MS));
  }
}
