// Hardhat Ignition module that deploys the whole firm in one run, so `firm deploy` and the dev stack
// wire the contracts the same way every time.
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { keccak256, toBytes, zeroHash } from "viem";

const DAY = 24 * 60 * 60;

/**
 * Deploys and wires the firm: timelock (treasury), partnership (members, equity, grants), its
 * practices and revenue-share companions, the talent directory, the governor, the withdrawal desk and the books. It ends with the
 * governor as the timelock's only proposer, canceller and executor, the desk as its only
 * withdrawal role, and the deployer's admin role renounced, so after deployment nobody holds a back
 * door.
 *
 * Every governance parameter is a module parameter (see ignition/parameters.example.json).
 */
export default buildModule("Firm", (m) => {
  const deployer = m.getAccount(0);

  const firmName = m.getParameter("firmName", "MSP IT Partners");
  const votingDelay = m.getParameter("votingDelay", 1 * DAY);
  const votingPeriod = m.getParameter("votingPeriod", 5 * DAY);
  const gracePeriod = m.getParameter("gracePeriod", 14 * DAY);
  const equityQuorumBps = m.getParameter("equityQuorumBps", 5_000);
  const headcountQuorumBps = m.getParameter("headcountQuorumBps", 5_000);
  const timelockDelay = m.getParameter("timelockDelay", 2 * DAY);
  const claimWindow = m.getParameter("claimWindow", 90 * DAY);
  const founders = m.getParameter<string[]>("founders");
  const founderUnits = m.getParameter<number[]>("founderUnits");

  const timelock = m.contract("FirmTimelock", [timelockDelay, deployer]);
  const partnership = m.contract("Partnership", [timelock, claimWindow, founders, founderUnits]);
  // Before the governor, which is told its address: calls to the directory move no treasury funds.
  const directory = m.contract("Directory", [partnership, timelock]);
  const governor = m.contract("FirmGovernor", [
    firmName,
    partnership,
    timelock,
    { votingDelay, votingPeriod, gracePeriod, equityQuorumBps, headcountQuorumBps },
    directory,
  ]);

  const withdrawals = m.contract("Withdrawals", [partnership, governor, timelock]);

  const role = (name: string) => keccak256(toBytes(name));
  const grants = ["PROPOSER_ROLE", "CANCELLER_ROLE", "EXECUTOR_ROLE"].map((name) =>
    m.call(timelock, "grantRole", [role(name), governor], { id: `grant_${name}` }),
  );
  grants.push(
    m.call(timelock, "grantRole", [role("WITHDRAWAL_ROLE"), withdrawals], { id: "grant_WITHDRAWAL_ROLE" }),
  );
  // AccessControl's admin role is the zero hash, not keccak256("DEFAULT_ADMIN_ROLE").
  m.call(timelock, "renounceRole", [zeroHash, deployer], {
    id: "renounce_admin",
    after: grants,
  });

  const revenueShareAddress = m.staticCall(partnership, "revenueShare", [], 0, { id: "revenueShareAddress" });
  const practicesAddress = m.staticCall(partnership, "practices", [], 0, { id: "practicesAddress" });
  const revenueShare = m.contractAt("RevenueShare", revenueShareAddress, { id: "RevenueShareAt" });
  const practices = m.contractAt("Practices", practicesAddress, { id: "PracticesAt" });
  // The operating account: seat roles from the practices, the claim window from the revenue share,
  // and the timelock as its only governor (a call to it is a funds-moving call for the governor).
  const books = m.contract("Books", [partnership, practices, revenueShare, timelock]);

  return { timelock, partnership, governor, revenueShare, practices, withdrawals, directory, books };
});
