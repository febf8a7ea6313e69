// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Partnership} from "../../contracts/Partnership.sol";
import {RevenueShare} from "../../contracts/RevenueShare.sol";
import {IPartnership} from "../../contracts/interfaces/IPartnership.sol";
import {FirmHandler} from "./handlers/FirmHandler.sol";
import {Assertions} from "./utils/Assertions.sol";
import {vm} from "./utils/Vm.sol";

// What the runner reads from `targetSelectors()`: the same ABI shape as forge-std's FuzzSelector.
struct FuzzSelector {
    address addr;
    bytes4[] selectors;
}

// Invariant campaigns over FirmHandler's random walk. The runner calls random handler actions and,
// after each one, the invariant function of the campaign; each invariant function gets its own campaign.
//
// The runner's defaults (256 runs of 500 calls for each of the 14 functions) would take far longer than
// the few minutes this suite may use on a 2-core machine: every step re-reads every member and grant,
// and the history checks re-read past steps. The directives below (inline configuration, so
// hardhat.config.ts stays untouched) make each campaign 24 runs of 80 calls, about 27,000 calls for the
// suite and about a minute of CPU: 80 calls reach leaves lapsing and ending early, covers accepted,
// resigning and departing, buy-backs and closed claim windows, and 24 runs vary the order.
/// forge-config: default.invariant.runs = 24
/// forge-config: default.invariant.depth = 80
contract FirmInvariants is Assertions {
    FirmHandler internal handler;
    Partnership internal firm;
    RevenueShare internal revenue;

    function setUp() public {
        // A realistic clock: grants may start up to two years in the past.
        vm.warp(1_750_000_000);
        handler = new FirmHandler();
        (address[] memory founders, uint64[] memory units) = handler.founders();
        firm = new Partnership(address(handler), handler.CLAIM_WINDOW(), founders, units);
        revenue = RevenueShare(firm.revenueShare());
        vm.deal(address(handler), 1e12 ether);
        handler.init(firm);
        vm.label(address(handler), "FirmHandler");
        vm.label(address(firm), "Partnership");
        vm.label(address(revenue), "RevenueShare");
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    // Only the actions: the handler's model views and `init` are not steps of the walk.
    function targetSelectors() public view returns (FuzzSelector[] memory targets) {
        bytes4[] memory selectors = new bytes4[](18);
        selectors[0] = FirmHandler.warp.selector;
        selectors[1] = FirmHandler.admit.selector;
        selectors[2] = FirmHandler.createGrant.selector;
        selectors[3] = FirmHandler.release.selector;
        selectors[4] = FirmHandler.revokeGrant.selector;
        selectors[5] = FirmHandler.declareLeave.selector;
        selectors[6] = FirmHandler.endLeave.selector;
        selectors[7] = FirmHandler.setRole.selector;
        selectors[8] = FirmHandler.retire.selector;
        selectors[9] = FirmHandler.remove.selector;
        selectors[10] = FirmHandler.withdrawBuyback.selector;
        selectors[11] = FirmHandler.createDistribution.selector;
        selectors[12] = FirmHandler.claim.selector;
        selectors[13] = FirmHandler.reclaim.selector;
        selectors[14] = FirmHandler.tryToMoveEquity.selector;
        selectors[15] = FirmHandler.acceptCover.selector;
        selectors[16] = FirmHandler.resignCover.selector;
        selectors[17] = FirmHandler.setLeaveRules.selector;
        targets = new FuzzSelector[](1);
        targets[0] = FuzzSelector({addr: address(handler), selectors: selectors});
    }

    // ------------------------------------------------------------------------------------------
    // 1. released <= vested <= units for every grant, and vesting follows its schedule.
    // ------------------------------------------------------------------------------------------
    function invariant_grantReleasedWithinVestedWithinUnits() public {
        uint48 now_ = _sync();
        _noViolation(FirmHandler.Check.Grants);
        for (uint256 id = 1; id <= handler.grantCount(); ++id) {
            (address beneficiary, uint64 units, uint64 released, uint48 start, uint48 cliffEnd, uint48 end, uint48 revokedAt) =
                firm.grantOf(id);
            FirmHandler.GrantModel memory g = handler.grant(id);
            uint256 vested = firm.vestedAt(id, now_);
            assertLe(released, vested, "released <= vested");
            assertLe(vested, units, "vested <= units");
            assertEq(vested, handler.modelVested(id, now_), "vested follows the schedule");
            assertEq(firm.releasable(id), vested - released, "releasable = vested - released");
            assertEq(released, g.released, "released matches the releases made");
            assertEq(beneficiary, g.beneficiary, "beneficiary");
            assertEq(units, g.units, "units");
            assertEq(start, g.start, "start");
            assertEq(cliffEnd, g.cliffEnd, "cliff end");
            assertEq(end, g.end, "end");
            assertEq(revokedAt, g.revokedAt, "revocation time");
            if (now_ < cliffEnd) assertEq(vested, 0, "nothing vests before the cliff");
        }
    }

    // ------------------------------------------------------------------------------------------
    // 2. (along the walk) vested never decreases as time passes and is zero before the cliff; the
    //    handler checks it after every step. The fuzz tests in VestingFuzz.sol cover any t1 <= t2.
    // ------------------------------------------------------------------------------------------
    function invariant_vestedMonotoneAlongTheWalk() public {
        _sync();
        _noViolation(FirmHandler.Check.Grants);
        (, uint256 grants, ) = firm.counts();
        assertEq(grants, handler.grantCount(), "every grant is known to the handler");
    }

    // ------------------------------------------------------------------------------------------
    // 3. totalSupply == Σ released − Σ burned == Σ balanceOf over the members.
    // ------------------------------------------------------------------------------------------
    function invariant_supplyConservation() public {
        _sync();
        _noViolation(FirmHandler.Check.Supply);
        uint256 supply = firm.totalSupply();
        assertEq(supply, handler.ghostReleased() - handler.ghostBurned(), "supply = released - burned (ghosts)");
        uint256 releasedOnChain;
        for (uint256 id = 1; id <= handler.grantCount(); ++id) {
            (, , uint64 released, , , , ) = firm.grantOf(id);
            releasedOnChain += released;
        }
        assertEq(supply, releasedOnChain - handler.ghostBurned(), "supply = sum of grants' released - burned");
        uint256 balances;
        for (uint256 i = 0; i < handler.memberCount(); ++i) balances += firm.balanceOf(handler.memberAt(i));
        assertEq(supply, balances, "supply = sum of balances");
        // Holder by holder: what their grants released, less what a buy-back burned.
        for (uint256 i = 0; i < handler.memberCount(); ++i) {
            address account = handler.memberAt(i);
            uint256 released;
            for (uint256 id = 1; id <= handler.grantCount(); ++id) {
                FirmHandler.GrantModel memory g = handler.grant(id);
                if (g.beneficiary == account) released += g.released;
            }
            assertEq(firm.balanceOf(account), released - handler.burnedOf(account), "balance = released - burned");
        }
        assertEq(firm.balanceOf(handler.STRANGER()), 0, "no one else holds units");
    }

    // ------------------------------------------------------------------------------------------
    // 4. Σ getVotes == the ledger's total votes (read as getPastTotalSupply once the time is past),
    //    and each member's votes == balance + Σ (effective unvested + vested unreleased).
    // ------------------------------------------------------------------------------------------
    function invariant_votesMatchLedgerAndGrants() public {
        uint48 now_ = _sync();
        _noViolation(FirmHandler.Check.Votes);
        uint256 n = handler.memberCount();
        uint256[] memory votesNow = new uint256[](n);
        uint256 total;
        for (uint256 i = 0; i < n; ++i) {
            address account = handler.memberAt(i);
            votesNow[i] = firm.getVotes(account);
            total += votesNow[i];
            assertEq(votesNow[i], firm.balanceOf(account) + _unreleasedWeight(account, now_), "votes = balance + grants' open weight");
        }
        // getPast* only answer for past times: look from one second later, with nothing changed since.
        vm.warp(uint256(now_) + 1);
        assertEq(firm.getPastTotalSupply(now_), total, "sum of votes = ledger's total votes");
        for (uint256 i = 0; i < n; ++i) {
            assertEq(firm.getPastVotes(handler.memberAt(i), now_), votesNow[i], "past votes now = current votes");
        }
    }

    // 4b. The same at every earlier step: the checkpoint history answers what the votes were then.
    function invariant_votesHistory() public {
        uint48 now_ = _sync();
        vm.warp(uint256(now_) + 1);
        uint256 n = handler.memberCount();
        for (uint256 c = 0; c < handler.checkpointCount(); ++c) {
            if (!_due(c)) continue;
            FirmHandler.Checkpoint memory cp = handler.checkpoint(c);
            assertEq(firm.getPastTotalSupply(cp.time), cp.totalVotes, "past total votes at a checkpoint");
            for (uint256 i = 0; i < n; ++i) {
                address account = handler.memberAt(i);
                assertEq(firm.getPastVotes(account, cp.time), handler.votesAtCheckpoint(c, account), "past votes at a checkpoint");
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // 5. Σ claimed <= amount for every distribution; claims match the model and no one claims twice
    //    (the handler retries every successful claim by the other path); the ETH held backs what is left.
    // ------------------------------------------------------------------------------------------
    function invariant_distributionsNeverOverpay() public {
        _sync();
        _noViolation(FirmHandler.Check.Distributions);
        assertEq(revenue.distributionCount(), handler.distributionCount(), "distribution count");
        uint256 outstanding;
        for (uint256 id = 1; id <= handler.distributionCount(); ++id) {
            (address token, uint256 amount, uint256 claimed, , uint256 supply, ) = revenue.distribution(id);
            FirmHandler.DistributionModel memory d = handler.distribution(id);
            assertEq(token, address(0), "ETH distribution");
            assertLe(claimed, amount, "claimed <= amount");
            assertEq(claimed, d.claimed, "claimed = sum of the claims paid");
            assertEq(amount, d.amount, "amount");
            assertEq(supply, d.supply, "supply at the snapshot");
            outstanding += amount - claimed;
            for (uint256 i = 0; i < handler.memberCount(); ++i) {
                address holder = handler.memberAt(i);
                if (revenue.hasClaimed(id, holder)) assertEq(revenue.claimable(id, holder), 0, "nothing more after a claim");
            }
        }
        assertEq(address(revenue).balance, outstanding, "ETH held = amounts not yet claimed or reclaimed");
    }

    // ------------------------------------------------------------------------------------------
    // 6. headcountAt(t) == partners at t, on leave or not, now and at every earlier step.
    // ------------------------------------------------------------------------------------------
    function invariant_headcountMatchesRoster() public {
        uint48 now_ = _sync();
        assertEq(firm.headcountAt(now_), handler.modelHeadcount(now_), "headcount now");
        for (uint256 c = 0; c < handler.checkpointCount(); ++c) {
            if (!_due(c)) continue;
            uint48 t = handler.checkpoint(c).time;
            assertEq(firm.headcountAt(t), handler.modelHeadcount(t), "headcount at a past step");
            // One second before each step too: leaves and partnerships start and end on step times.
            if (t > 0) assertEq(firm.headcountAt(t - 1), handler.modelHeadcount(t - 1), "headcount a second before a step");
        }
    }

    // ------------------------------------------------------------------------------------------
    // 7. Statuses only move along the state machine (checked by the handler at every step), and each
    //    member's status is the one the roster implies.
    // ------------------------------------------------------------------------------------------
    function invariant_statusesFollowStateMachine() public {
        _sync();
        _noViolation(FirmHandler.Check.Statuses);
        for (uint256 i = 0; i < handler.memberCount(); ++i) {
            address account = handler.memberAt(i);
            (, IPartnership.MemberStatus status, uint256 index, , , ) = firm.memberOf(account);
            assertEq(uint256(status), uint256(handler.modelStatus(account)), "status as the model says");
            assertEq(index, i + 1, "member index");
            assertEq(firm.isActivePartner(account), _activePartner(account, status), "isActivePartner");
        }
        (, IPartnership.MemberStatus strangerStatus, , , , ) = firm.memberOf(handler.STRANGER());
        assertEq(uint256(strangerStatus), uint256(IPartnership.MemberStatus.None), "a stranger stays None");
    }

    // ------------------------------------------------------------------------------------------
    // 8. Equity cannot move: transfer, transferFrom, approve and delegate always revert (the handler
    //    tries them along the walk, and here from a member holding units), and totalSupply never rose
    //    in a step other than a release.
    // ------------------------------------------------------------------------------------------
    function invariant_equityCannotMoveOrBeMinted() public {
        _sync();
        _noViolation(FirmHandler.Check.Equity);
        address holder = handler.memberAt(0);
        address other = handler.memberAt(1);
        uint256 amount = firm.balanceOf(holder);
        vm.expectRevert(IPartnership.EquityNonTransferable.selector);
        vm.prank(holder);
        firm.transfer(other, amount);
        vm.expectRevert(IPartnership.EquityNonTransferable.selector);
        vm.prank(other);
        firm.transferFrom(holder, other, amount);
        vm.expectRevert(IPartnership.EquityNonTransferable.selector);
        vm.prank(holder);
        firm.approve(other, amount);
        vm.expectRevert(IPartnership.EquityNonTransferable.selector);
        vm.prank(holder);
        firm.delegate(other);
        assertEq(firm.allowance(holder, other), 0, "no allowance");
        assertEq(firm.delegates(holder), holder, "everyone votes their own units");
    }

    // ------------------------------------------------------------------------------------------
    // 9. Ballots: a partner holds their own ballot, on leave or not, except while the cover they asked
    //    has accepted and runs: then the cover's ballot includes the partner's and coverAt names the
    //    cover. Weights are the votes then. Checked now and at every step. A partner who has retired
    //    or been removed since holds no ballot at any time, and no one holds theirs
    //    (Partnership.ballot's documented rule); a departed cover hands back the ballots they held.
    // ------------------------------------------------------------------------------------------
    function invariant_ballotsFollowLeaves() public {
        uint48 now_ = _sync();
        _checkBallotsAt(now_, type(uint256).max);
        for (uint256 c = 0; c < handler.checkpointCount(); ++c) {
            if (_due(c)) _checkBallotsAt(handler.checkpoint(c).time, c);
        }
    }

    // ------------------------------------------------------------------------------------------
    // 10. Snapshots are frozen: every balance at a distribution's snapshot is the one held when it was
    //     taken, whatever happened since, and they add up to the supply then.
    // ------------------------------------------------------------------------------------------
    function invariant_snapshotsFrozen() public {
        _sync();
        for (uint256 id = 1; id <= handler.distributionCount(); ++id) {
            FirmHandler.DistributionModel memory d = handler.distribution(id);
            uint256 sum;
            for (uint256 i = 0; i < handler.memberCount(); ++i) {
                address holder = handler.memberAt(i);
                uint256 atSnapshot = firm.balanceOfAt(holder, d.snapshotId);
                // Members admitted after the snapshot held nothing then (the model recorded 0 for them).
                assertEq(atSnapshot, handler.snapshotBalance(id, holder), "balance at the snapshot");
                sum += atSnapshot;
            }
            assertEq(sum, d.supply, "balances at a snapshot add up to its supply");
            assertEq(firm.totalSupplyAt(d.snapshotId), d.supply, "supply at the snapshot");
        }
    }

    // ------------------------------------------------------------------------------------------
    // 11. Buy-backs: the ETH the partnership holds is exactly what it owes retirees.
    // ------------------------------------------------------------------------------------------
    function invariant_buybacksBacked() public {
        _sync();
        _noViolation(FirmHandler.Check.Buybacks);
        uint256 total;
        for (uint256 i = 0; i < handler.memberCount(); ++i) {
            address account = handler.memberAt(i);
            assertEq(firm.buybackOwed(account, address(0)), handler.owed(account), "owed to a retiree");
            total += handler.owed(account);
        }
        assertEq(total, handler.ghostOwedTotal(), "owed total");
        assertEq(address(firm).balance, total, "ETH held = ETH owed");
    }

    // ------------------------------------------------------------------------------------------
    // 12. Every action was accepted exactly when the rules allow it (a valid leave, grant, promotion,
    //     retirement, removal or release never refused, an invalid one never accepted).
    // ------------------------------------------------------------------------------------------
    function invariant_actionsAcceptedExactlyWhenAllowed() public {
        _sync();
        _noViolation(FirmHandler.Check.Model);
    }

    // ------------------------------------------------------------------------------------------
    // 13. Every partner's ballot has exactly one holder at any time, now and at every earlier step:
    //     the partner, or the cover they asked who accepted and is still a partner. A departed
    //     partner's ballot has none. Counted from Partnership.ballot alone, then compared with the model.
    // ------------------------------------------------------------------------------------------
    function invariant_everyBallotHasOneHolder() public {
        uint48 now_ = _sync();
        _checkHoldersAt(now_);
        for (uint256 c = 0; c < handler.checkpointCount(); ++c) {
            if (!_due(c)) continue;
            uint48 t = handler.checkpoint(c).time;
            _checkHoldersAt(t);
            // A cover starts and ends on a step time: the second before is on the other side of it.
            _checkHoldersAt(t - 1);
        }
    }

    // ------------------------------------------------------------------------------------------
    // 14. A cover covers at most one colleague at a time and is not covered meanwhile, now and at
    //     every earlier step; leaveOf and coveringOf follow the model (checked at every step).
    // ------------------------------------------------------------------------------------------
    function invariant_coverCoversOneColleagueAtATime() public {
        uint48 now_ = _sync();
        _noViolation(FirmHandler.Check.Leaves);
        _checkCoversAt(now_);
        for (uint256 c = 0; c < handler.checkpointCount(); ++c) {
            if (!_due(c)) continue;
            uint48 t = handler.checkpoint(c).time;
            _checkCoversAt(t);
            _checkCoversAt(t - 1);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------------------------------

    // Warps to the walk's clock: the invariant runs in its own call and must see the walk's time.
    function _sync() private returns (uint48 now_) {
        now_ = handler.currentTime();
        vm.warp(now_);
    }

    // Which past steps a history check re-reads after this step: the last eight, and one in eight of the
    // older ones, a different eighth each step. Every past step is re-read every eight steps, and a
    // check costs O(depth / 8) instead of O(depth), which keeps the campaigns within their time budget.
    function _due(uint256 c) private view returns (bool) {
        uint256 count = handler.checkpointCount();
        return c + 8 >= count || (c + handler.steps()) % 8 == 0;
    }

    function _noViolation(FirmHandler.Check check) private view {
        string memory what = handler.violation(check);
        if (bytes(what).length != 0) fail(what);
    }

    // Σ over the member's grants of (effective unvested + vested unreleased): a revoked grant has no
    // unvested part left.
    function _unreleasedWeight(address account, uint256 now_) private view returns (uint256 weight) {
        for (uint256 id = 1; id <= handler.grantCount(); ++id) {
            FirmHandler.GrantModel memory g = handler.grant(id);
            if (g.beneficiary != account) continue;
            uint256 vested = firm.vestedAt(id, now_);
            uint256 unvested = g.revokedAt == 0 ? g.units - vested : 0;
            weight += unvested + vested - g.released;
        }
    }

    function _activePartner(address account, IPartnership.MemberStatus status) private view returns (bool) {
        (IPartnership.Role role, , , , , ) = firm.memberOf(account);
        return
            role == IPartnership.Role.Partner &&
            (status == IPartnership.MemberStatus.Active || status == IPartnership.MemberStatus.OnLeave);
    }

    // `checkpoint` is the index of the handler's checkpoint at `t` (votes recorded then), or max for now.
    function _checkBallotsAt(uint48 t, uint256 checkpoint) private view {
        for (uint256 i = 0; i < handler.memberCount(); ++i) {
            address voter = handler.memberAt(i);
            IPartnership.Ballot memory b = firm.ballot(voter, t);
            bool seated = handler.modelPartnerAt(voter, t) && !handler.modelDeparted(voter);
            address holder = handler.modelHolderAt(voter, t);
            assertEq(b.selfIndex, holder == voter ? i + 1 : 0, "own ballot exactly when a partner then, not departed since, and not covered");
            if (holder == voter) assertEq(b.selfWeight, _votesAt(voter, checkpoint), "own ballot weight");
            if (seated) {
                assertEq(firm.coverAt(voter, t), holder == voter ? address(0) : holder, "held by the accepted cover exactly while it runs");
            }
            address covered = handler.modelCoveredAt(voter, t);
            bool covers = covered != address(0) &&
                seated &&
                handler.modelPartnerAt(covered, t) &&
                !handler.modelDeparted(covered);
            assertEq(b.covered, covers ? covered : address(0), "covered partner exactly while the accepted cover runs");
            if (covers) {
                assertEq(b.coveredIndex, firm.memberIndex(covered), "covered index");
                assertEq(b.coveredWeight, _votesAt(covered, checkpoint), "covered ballot weight");
            } else {
                assertEq(b.coveredIndex, 0, "no covered ballot outside an accepted cover");
            }
        }
    }

    function _ballotsAt(uint256 t) private view returns (IPartnership.Ballot[] memory b) {
        b = new IPartnership.Ballot[](handler.memberCount());
        for (uint256 i = 0; i < b.length; ++i) b[i] = firm.ballot(handler.memberAt(i), t);
    }

    // Counts the holders of each ballot from the ballots alone (a member's own when no cover is named,
    // and every ballot naming it as covered), then compares with the model.
    function _checkHoldersAt(uint256 t) private view {
        IPartnership.Ballot[] memory b = _ballotsAt(t);
        for (uint256 p = 0; p < b.length; ++p) {
            address account = handler.memberAt(p);
            uint256 holders;
            address holder;
            if (b[p].selfIndex != 0) {
                assertEq(b[p].selfIndex, p + 1, "own index");
                ++holders;
                holder = account;
            }
            for (uint256 q = 0; q < b.length; ++q) {
                if (b[q].coveredIndex != p + 1) continue;
                ++holders;
                holder = handler.memberAt(q);
                assertEq(b[q].covered, account, "a covered index names its partner");
            }
            bool seated = handler.modelPartnerAt(account, t) && !handler.modelDeparted(account);
            assertEq(holders, seated ? 1 : 0, "every partner's ballot has exactly one holder, a departed partner's none");
            address named = firm.coverAt(account, t);
            if (seated && named != address(0)) assertEq(holder, named, "the cover coverAt names is the one holding it");
            assertEq(holder, handler.modelHolderAt(account, t), "the holder is the partner or their accepted cover still a partner");
        }
    }

    function _checkCoversAt(uint256 t) private view {
        IPartnership.Ballot[] memory b = _ballotsAt(t);
        address[] memory coverOf = new address[](b.length);
        for (uint256 p = 0; p < b.length; ++p) coverOf[p] = firm.coverAt(handler.memberAt(p), t);
        for (uint256 q = 0; q < b.length; ++q) {
            address cover = handler.memberAt(q);
            uint256 covering;
            for (uint256 p = 0; p < b.length; ++p) {
                if (coverOf[p] == cover) ++covering;
            }
            assertLe(covering, 1, "a cover holds at most one colleague's ballot");
            if (b[q].coveredIndex != 0) {
                assertEq(coverOf[b[q].coveredIndex - 1], cover, "the colleague covered names their cover");
                assertEq(coverOf[q], address(0), "nobody covers a cover: they hold their own ballot");
            }
        }
    }

    function _votesAt(address account, uint256 checkpoint) private view returns (uint256) {
        return checkpoint == type(uint256).max ? firm.getVotes(account) : handler.votesAtCheckpoint(checkpoint, account);
    }
}
