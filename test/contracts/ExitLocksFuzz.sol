// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {Partnership} from "../../contracts/Partnership.sol";
import {IPartnership} from "../../contracts/interfaces/IPartnership.sol";
import {IWithdrawals} from "../../contracts/interfaces/IWithdrawals.sol";
import {IFirmGovernor} from "../../contracts/interfaces/IFirmGovernor.sol";
import {FirmContracts, FirmDeployer, GovernanceSettings} from "./utils/Governance.sol";
import {Assertions, bound} from "./utils/Assertions.sol";
import {vm} from "./utils/Vm.sol";

// Exit with a fair share, and Moloch's guard (issue 9): a partner whose ballot stands For a proposal
// that moves treasury funds cannot rage-quit until that proposal is over (executed, defeated or
// expired) and the lock is settled; a partner who voted Against a capture, or is the subject of an
// expulsion, can leave during the timelock delay and is credited exactly
// treasury balance * their units / all units outstanding. Each test deploys a whole firm (timelock,
// partnership, governor, withdrawal desk) wired as in production, with fuzzed units and treasury.
contract ExitLocksFuzzTest is FirmDeployer, Assertions {
    uint256 internal constant T0 = 1_750_000_000;
    uint32 internal constant VOTING_PERIOD = 3 days;
    uint48 internal constant GRACE = 7 days;
    uint256 internal constant DELAY = 1 days;
    address internal constant ATTACKER = address(uint160(uint256(keccak256("attacker"))));
    address internal constant STRANGER = address(0xBEEF);

    FirmContracts internal f;
    address[] internal founders;
    uint64[] internal units;
    uint256 internal totalUnits;

    // The proposal under test: send `amount` of the treasury to the attacker.
    address[] internal targets;
    uint256[] internal values;
    bytes[] internal calldatas;
    bytes32 internal constant DESCRIPTION_HASH = keccak256("send the treasury");

    function testForVoterIsLockedUntilTheProposalIsOver(
        uint64[4] memory unitsSeed,
        uint256 treasurySeed,
        uint256 amountSeed,
        uint8 forMask,
        bool executes,
        bool viaCover,
        bool settleFirst
    ) public {
        uint256 treasury = _firm(_seeds(unitsSeed), treasurySeed);
        address voter = founders[0];
        // Through a cover: the cover casts the voter's ballot For, and the lock is the ballot's owner's.
        if (viaCover) {
            vm.prank(voter);
            f.partnership.declareLeave(uint48(block.timestamp + 30 days), founders[1]);
            vm.prank(founders[1]);
            f.partnership.acceptCover(voter);
            forMask |= 2;
        }
        uint256 id = _proposeSend(voter, bound(amountSeed, 1, treasury));
        vm.warp(f.governor.proposalSnapshot(id) + 1);
        (uint256 forHeads, uint256 forEquity) = _vote(id, forMask | 1, viaCover);
        assertEq(f.governor.openExitLocks(voter), 1, "a For ballot on a fund-moving proposal locks its owner");
        if (viaCover) assertEq(f.governor.openExitLocks(founders[1]), 1, "and the cover's own For ballot locks the cover");
        _expectLocked(voter, id);

        // A majority of all four partners, by heads and by equity (the 50% quorums follow from it).
        bool passes = 2 * forHeads > founders.length && 2 * forEquity > totalUnits;
        vm.warp(f.governor.proposalDeadline(id) + 1);
        if (passes) {
            assertEq(uint256(f.governor.state(id)), uint256(IGovernor.ProposalState.Succeeded), "passed");
            _expectLocked(voter, id);
            f.governor.queue(targets, values, calldatas, DESCRIPTION_HASH);
            // Throughout the timelock delay too: no one votes to spend and leaves first.
            vm.warp(block.timestamp + DELAY - 1);
            _expectLocked(voter, id);
            if (executes) {
                vm.warp(f.governor.proposalEta(id));
                f.governor.execute(targets, values, calldatas, DESCRIPTION_HASH);
                assertEq(uint256(f.governor.state(id)), uint256(IGovernor.ProposalState.Executed), "executed");
            } else {
                vm.warp(f.governor.proposalEta(id) + GRACE + 1);
                assertEq(uint256(f.governor.state(id)), uint256(IGovernor.ProposalState.Expired), "expired");
            }
        } else {
            assertEq(uint256(f.governor.state(id)), uint256(IGovernor.ProposalState.Defeated), "defeated");
        }

        // Over, but the lock stands until someone settles it with the proposal's id.
        vm.prank(voter);
        vm.expectRevert(abi.encodeWithSelector(IWithdrawals.WithdrawalLockedByVotes.selector, voter, 1));
        f.withdrawals.ragequit(new uint256[](0));
        uint256 balance = address(f.timelock).balance;
        uint256[] memory ids = new uint256[](1);
        ids[0] = id;
        if (settleFirst) {
            // Anyone may settle: it only ever frees what is over.
            vm.prank(STRANGER);
            assertEq(f.governor.settleExitLocks(voter, ids), 0, "settled once the proposal is over");
            assertEq(f.governor.openExitLocks(voter), 0, "no lock left");
            vm.prank(voter);
            f.withdrawals.ragequit(new uint256[](0));
        } else {
            vm.prank(voter);
            f.withdrawals.ragequit(ids);
        }
        uint256 share = (balance * units[0]) / totalUnits;
        assertEq(f.withdrawals.owed(voter, address(0)), share, "credited balance * units / all units");
        assertEq(address(f.timelock).balance, balance - share, "paid out of the treasury");
    }

    function testAgainstVoterLeavesDuringTheDelayWithTheirShare(
        uint64[5] memory unitsSeed,
        uint256 treasurySeed,
        uint256 amountSeed,
        bool releasedFirst,
        bool secondLeaves
    ) public {
        // Three partners holding most of the units capture the vote; two vote Against.
        uint64[] memory seeds = new uint64[](5);
        for (uint256 i = 0; i < 5; ++i) seeds[i] = uint64(i < 3 ? bound(unitsSeed[i], 1_000, 1e6) : bound(unitsSeed[i], 1, 999));
        uint256 treasury = _firm(seeds, treasurySeed);
        // Shares count every unit outstanding, released or not: it makes no difference whether the
        // colleagues called release before the exit.
        if (releasedFirst) {
            for (uint256 id = 1; id <= 5; ++id) f.partnership.release(id);
        }
        uint256 amount = bound(amountSeed, 1, treasury);
        uint256 proposal = _proposeSend(founders[0], amount);
        vm.warp(f.governor.proposalSnapshot(proposal) + 1);
        _vote(proposal, 0x07, false);
        vm.warp(f.governor.proposalDeadline(proposal) + 1);
        f.governor.queue(targets, values, calldatas, DESCRIPTION_HASH);
        vm.warp(block.timestamp + DELAY / 2);

        // A capturer cannot leave with a share of what they voted to spend...
        _expectLocked(founders[0], proposal);
        // ...an opponent can, with exactly their fraction of the treasury as it stands.
        uint256 share3 = _leave(founders[3], units[3], totalUnits);
        uint256 share4;
        if (secondLeaves) share4 = _leave(founders[4], units[4], totalUnits - units[3]);
        uint256 left = treasury - share3 - share4;
        assertEq(address(f.timelock).balance, left, "the treasury paid the shares and nothing else");

        // The capture takes no one's share: it sends what it asked, from what is left, or nothing.
        vm.warp(f.governor.proposalEta(proposal));
        if (amount > left) {
            vm.expectRevert();
            f.governor.execute(targets, values, calldatas, DESCRIPTION_HASH);
            assertEq(address(f.timelock).balance, left, "a failed capture moves nothing");
        } else {
            f.governor.execute(targets, values, calldatas, DESCRIPTION_HASH);
            assertEq(ATTACKER.balance, amount, "the capture sends what it asked");
            assertEq(address(f.timelock).balance, left - amount, "out of what the leavers left");
        }
        uint256 before = founders[3].balance;
        vm.expectEmit(address(f.withdrawals));
        emit IWithdrawals.WithdrawalClaimed(founders[3], address(0), share3);
        vm.prank(founders[3]);
        f.withdrawals.claim(address(0));
        assertEq(founders[3].balance, before + share3, "the leaver is paid their share");
        assertEq(f.withdrawals.owed(founders[3], address(0)), 0, "once");
    }

    // The subject of an expulsion casts no ballot on it, so holds no lock, and may leave with their
    // share before the expulsion executes; the expulsion then has no one to remove.
    function testExpelledPartnerLeavesBeforeTheExpulsion(uint64[4] memory unitsSeed, uint256 treasurySeed) public {
        uint256 treasury = _firm(_seeds(unitsSeed), treasurySeed);
        address subject = founders[3];
        targets = [address(f.partnership)];
        values = [uint256(0)];
        calldatas = [abi.encodeCall(Partnership.remove, (subject))];
        vm.prank(founders[0]);
        uint256 id = f.governor.propose(targets, values, calldatas, "send the treasury");
        vm.warp(f.governor.proposalSnapshot(id) + 1);
        vm.prank(subject);
        vm.expectRevert(abi.encodeWithSelector(IFirmGovernor.GovernorVoterRecused.selector, id, subject));
        f.governor.castVote(id, 0);
        for (uint256 i = 0; i < 3; ++i) {
            vm.prank(founders[i]);
            f.governor.castVote(id, 1);
        }
        vm.warp(f.governor.proposalDeadline(id) + 1);
        f.governor.queue(targets, values, calldatas, DESCRIPTION_HASH);
        assertEq(f.governor.openExitLocks(subject), 0, "the subject holds no lock");
        _leave(subject, units[3], totalUnits);
        assertEq(address(f.timelock).balance, treasury - (treasury * units[3]) / totalUnits, "paid their share");
        vm.warp(f.governor.proposalEta(id));
        vm.expectRevert();
        f.governor.execute(targets, values, calldatas, DESCRIPTION_HASH);
    }

    // Deploys the firm with `founderUnits` and a treasury of 1 to a million ETH; returns the treasury.
    function _firm(uint64[] memory founderUnits, uint256 treasurySeed) private returns (uint256 treasury) {
        vm.warp(T0);
        units = founderUnits;
        delete founders;
        totalUnits = 0;
        for (uint256 i = 0; i < founderUnits.length; ++i) {
            founders.push(address(uint160(uint256(keccak256(abi.encode("exit founder", i))))));
            totalUnits += founderUnits[i];
        }
        f = _deployFirm(
            founders,
            founderUnits,
            DELAY,
            GovernanceSettings({
                votingDelay: 1,
                votingPeriod: VOTING_PERIOD,
                gracePeriod: GRACE,
                equityQuorumBps: 5_000,
                headcountQuorumBps: 5_000
            })
        );
        treasury = bound(treasurySeed, 1 ether, 1e6 ether);
        vm.deal(address(f.timelock), treasury);
        // Founders' stakes vest one second after deployment.
        vm.warp(T0 + 1);
    }

    function _seeds(uint64[4] memory unitsSeed) private pure returns (uint64[] memory seeds) {
        seeds = new uint64[](4);
        for (uint256 i = 0; i < 4; ++i) seeds[i] = uint64(bound(unitsSeed[i], 1, 1e6));
    }

    function _proposeSend(address proposer, uint256 amount) private returns (uint256 id) {
        targets = [ATTACKER];
        values = [amount];
        calldatas = [bytes("")];
        vm.prank(proposer);
        id = f.governor.propose(targets, values, calldatas, "send the treasury");
    }

    // Founder i votes For when bit i of `forMask` is set, Against otherwise. With `viaCover`, founder 1
    // casts founder 0's ballot with their own, and founder 0 holds none.
    function _vote(uint256 id, uint8 forMask, bool viaCover) private returns (uint256 forHeads, uint256 forEquity) {
        for (uint256 i = 0; i < founders.length; ++i) {
            bool isFor = (forMask >> i) & 1 == 1;
            if (viaCover && i == 0) {
                vm.prank(founders[0]);
                vm.expectRevert(abi.encodeWithSelector(IFirmGovernor.GovernorBallotHeldByCover.selector, founders[0], founders[1]));
                f.governor.castVote(id, 1);
            } else {
                vm.prank(founders[i]);
                f.governor.castVote(id, isFor ? 1 : 0);
            }
            if (isFor) {
                ++forHeads;
                forEquity += units[i];
            }
        }
    }

    function _expectLocked(address member, uint256 id) private {
        uint256[] memory ids = new uint256[](1);
        ids[0] = id;
        vm.prank(member);
        vm.expectRevert(abi.encodeWithSelector(IWithdrawals.WithdrawalLockedByVotes.selector, member, 1));
        f.withdrawals.ragequit(ids);
    }

    // `member` rage-quits; checks the credit against balance * memberUnits / outstanding.
    function _leave(address member, uint256 memberUnits, uint256 outstanding) private returns (uint256 share) {
        share = (address(f.timelock).balance * memberUnits) / outstanding;
        vm.expectEmit(address(f.withdrawals));
        emit IWithdrawals.WithdrawalCredited(member, address(0), share);
        vm.prank(member);
        f.withdrawals.ragequit(new uint256[](0));
        assertEq(f.withdrawals.owed(member, address(0)), share, "credited exactly balance * units / all units");
        assertEq(f.partnership.balanceOf(member), 0, "units burned");
        assertEq(f.partnership.getVotes(member), 0, "votes gone");
        (, IPartnership.MemberStatus status, , , , ) = f.partnership.memberOf(member);
        assertEq(uint256(status), uint256(IPartnership.MemberStatus.Retired), "the leaver retires");
    }
}
