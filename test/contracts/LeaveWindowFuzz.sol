// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IPartnership} from "../../contracts/interfaces/IPartnership.sol";
import {FirmFixture} from "./utils/Firm.sol";
import {bound} from "./utils/Assertions.sol";
import {vm} from "./utils/Vm.sol";

// The leave window, fuzzed. A leave [from, until) moves a partner's ballot only while the colleague
// they asked has accepted to cover it: over [coverFrom, coverUntil) the cover's ballot
// (Partnership.ballot(cover, t)) includes the partner's, the partner's own is empty and coverAt names
// the cover. The rest of the time, on leave or not, the partner holds their own ballot, so the
// headcount never moves with a leave. Founders: Alice (index 1), Bob (2), Carol (3), partners since T0.
contract LeaveWindowFuzzTest is FirmFixture {
    // The rules a new Partnership starts with.
    uint48 internal constant MIN_LEAVE = 1 days;
    uint48 internal constant COOLDOWN = 7 days;

    // Who held `partner`'s ballot over [coverFrom, coverUntil); coverFrom 0: the request was never accepted.
    struct Window {
        address partner;
        address cover;
        uint256 coverFrom;
        uint256 coverUntil;
    }

    function testCoverHoldsBallotOnlyOnceAccepted(uint256 delay, uint256 length, uint256 acceptAfter, bool accepts, uint256 t) public {
        uint256 from = T0 + bound(delay, 0, 400 days);
        uint256 until = from + bound(length, MIN_LEAVE, MAX_LEAVE);
        vm.warp(from);
        vm.expectEmit();
        emit IPartnership.LeaveDeclared(ALICE, BOB, 1, uint48(from), uint48(until));
        vm.prank(ALICE);
        firm.declareLeave(uint48(until), BOB);
        (, IPartnership.MemberStatus status, , , , ) = firm.memberOf(ALICE);
        assertEq(uint256(status), uint256(IPartnership.MemberStatus.OnLeave), "on leave from the declaration");
        // Asked is not accepted: until Bob says yes, Alice holds her own ballot.
        _checkWindow(Window(ALICE, BOB, 0, 0), bound(t, T0, until + MAX_LEAVE));

        uint256 acceptedAt;
        if (accepts) {
            acceptedAt = bound(acceptAfter, from, until - 1);
            vm.warp(acceptedAt);
            vm.prank(CAROL);
            vm.expectRevert(abi.encodeWithSelector(IPartnership.CoverNotRequested.selector, ALICE, CAROL));
            firm.acceptCover(ALICE);
            vm.expectEmit();
            emit IPartnership.CoverAccepted(ALICE, BOB, 1, uint48(acceptedAt));
            vm.prank(BOB);
            firm.acceptCover(ALICE);
            vm.prank(BOB);
            vm.expectRevert(abi.encodeWithSelector(IPartnership.CoverNotRequested.selector, ALICE, BOB));
            firm.acceptCover(ALICE);
            assertEq(firm.coveringOf(BOB), ALICE, "Bob covers Alice once he accepted");
        }
        Window memory w = Window(ALICE, BOB, acceptedAt, accepts ? until : 0);
        _checkWindow(w, bound(t, T0, until + MAX_LEAVE));
        _checkEdges(w, from, until);

        // The same answers once the leave is over and looked at from later on.
        vm.warp(until + bound(t, 0, 2 * uint256(MAX_LEAVE)));
        _checkWindow(w, bound(t, T0, until + MAX_LEAVE));
        _checkEdges(w, from, until);
        (, status, , , , ) = firm.memberOf(ALICE);
        assertEq(uint256(status), uint256(IPartnership.MemberStatus.Active), "the leave lapsed by itself");
        _checkLeave(ALICE, Window(ALICE, BOB, acceptedAt, accepts ? until : 0), from, until, false);
        assertEq(firm.coveringOf(BOB), address(0), "Bob covers no one after the leave");
        // A request cannot be accepted once its leave is over.
        if (!accepts) {
            vm.prank(BOB);
            vm.expectRevert(abi.encodeWithSelector(IPartnership.CoverNotRequested.selector, ALICE, BOB));
            firm.acceptCover(ALICE);
        }
    }

    function testEndingLeaveEarlyClosesTheWindow(
        uint256 delay,
        uint256 length,
        uint256 endAfter,
        uint256 acceptAfter,
        bool accepts,
        uint256 t
    ) public {
        uint256 from = T0 + bound(delay, 0, 400 days);
        uint256 planned = from + bound(length, MIN_LEAVE, MAX_LEAVE);
        vm.warp(from);
        vm.prank(ALICE);
        firm.declareLeave(uint48(planned), BOB);
        // Ended in the same second it began at the earliest, one second before it would lapse at the latest.
        uint256 endedAt = bound(endAfter, from, planned - 1);
        // Accepted at the latest in the second the leave ends: an empty cover window.
        uint256 acceptedAt = accepts ? bound(acceptAfter, from, endedAt) : 0;
        if (accepts) {
            vm.warp(acceptedAt);
            vm.prank(BOB);
            firm.acceptCover(ALICE);
        }
        vm.warp(endedAt);
        vm.expectEmit();
        emit IPartnership.LeaveEnded(ALICE, BOB, 1, uint48(endedAt));
        vm.prank(ALICE);
        firm.endLeave();
        Window memory w = Window(ALICE, BOB, acceptedAt, accepts ? endedAt : 0);
        _checkWindow(w, bound(t, T0, planned + MAX_LEAVE));
        _checkEdges(w, from, endedAt);
        _checkLeave(ALICE, w, from, endedAt, false);
        assertEq(firm.coveringOf(BOB), address(0), "Bob covers no one");
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IPartnership.LeaveNotOnLeave.selector, ALICE));
        firm.endLeave();
        // The cooldown runs from the early end.
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IPartnership.LeaveCooldown.selector, ALICE, uint48(endedAt + COOLDOWN)));
        firm.declareLeave(uint48(endedAt + MIN_LEAVE), address(0));
    }

    // Successive leaves: Alice covered by Bob, then Carol covered by Bob, then Alice covered by Carol,
    // each cover accepted or not. Past lookups read both the partner's history (Alice's two leaves)
    // and the cover's (Bob's two covers). With the default rules Alice waits out her cooldown; with
    // rules 0/0 a leave may start in the very second the previous one ended.
    function testSuccessiveLeavesKeepTheirWindows(
        uint256[3] memory gaps,
        uint256[3] memory lengths,
        uint256[3] memory acceptDelays,
        uint8 acceptMask,
        bool noRules,
        uint256 t
    ) public {
        if (noRules) firm.setLeaveRules(0, 0);
        uint256 minLeave = noRules ? 1 : MIN_LEAVE;
        uint256 cooldown = noRules ? 0 : COOLDOWN;
        address[3] memory partner = [ALICE, CAROL, ALICE];
        address[3] memory cover = [BOB, BOB, CAROL];
        Window[3] memory w;
        uint256[3] memory from;
        uint256[3] memory until;
        uint256 now_ = T0;
        for (uint256 i = 0; i < 3; ++i) {
            from[i] = now_ + bound(gaps[i], 0, 60 days);
            if (i == 2 && from[2] < until[0] + cooldown) from[2] = until[0] + cooldown;
            until[i] = from[i] + bound(lengths[i], minLeave, 90 days);
            vm.warp(from[i]);
            vm.prank(partner[i]);
            firm.declareLeave(uint48(until[i]), cover[i]);
            w[i] = Window(partner[i], cover[i], 0, 0);
            if ((acceptMask >> i) & 1 == 1) {
                w[i].coverFrom = bound(acceptDelays[i], from[i], until[i] - 1);
                w[i].coverUntil = until[i];
                vm.warp(w[i].coverFrom);
                vm.prank(cover[i]);
                firm.acceptCover(partner[i]);
            }
            now_ = until[i];
        }
        vm.warp(now_ + 1);
        _checkChains(w, bound(t, T0, now_ + 30 days));
        for (uint256 i = 0; i < 3; ++i) {
            _checkChains(w, from[i] - 1);
            _checkChains(w, from[i]);
            _checkChains(w, until[i] - 1);
            _checkChains(w, until[i]);
            if (w[i].coverFrom != 0) {
                _checkChains(w, w[i].coverFrom - 1);
                _checkChains(w, w[i].coverFrom);
            }
        }
    }

    // Governance sets the minimum leave and the cooldown; declareLeave enforces both.
    function testLeaveRulesAreEnforced(uint256 minLeave, uint256 cooldown, uint256 length, uint256 gap) public {
        minLeave = bound(minLeave, 0, 30 days);
        cooldown = bound(cooldown, 0, 60 days);
        vm.expectEmit();
        emit IPartnership.LeaveRulesChanged(uint48(minLeave), uint48(cooldown));
        firm.setLeaveRules(uint48(minLeave), uint48(cooldown));
        (uint48 ruleMin, uint48 ruleCooldown) = firm.leaveRules();
        assertEq(ruleMin, minLeave, "minimum leave");
        assertEq(ruleCooldown, cooldown, "cooldown");

        uint256 now_ = block.timestamp;
        // A leave must end in the future even when the minimum is zero.
        uint256 shortest = minLeave == 0 ? now_ + 1 : now_ + minLeave;
        bytes memory tooShort = abi.encodeWithSelector(
            IPartnership.LeaveInvalidUntil.selector,
            uint48(shortest - 1),
            uint48(now_ + minLeave),
            uint48(now_ + MAX_LEAVE)
        );
        vm.prank(ALICE);
        vm.expectRevert(tooShort);
        firm.declareLeave(uint48(shortest - 1), address(0));
        bytes memory tooLong = abi.encodeWithSelector(
            IPartnership.LeaveInvalidUntil.selector,
            uint48(now_ + MAX_LEAVE + 1),
            uint48(now_ + minLeave),
            uint48(now_ + MAX_LEAVE)
        );
        vm.prank(ALICE);
        vm.expectRevert(tooLong);
        firm.declareLeave(uint48(now_ + MAX_LEAVE + 1), address(0));

        uint256 until = bound(length, shortest, now_ + 60 days);
        vm.prank(ALICE);
        firm.declareLeave(uint48(until), address(0));
        // Nobody asked: Alice keeps her ballot throughout.
        assertEq(firm.ballot(ALICE, until - 1).selfIndex, 1, "an uncovered leave keeps the ballot");
        assertEq(firm.coverAt(ALICE, until - 1), address(0), "nobody else holds it");
        assertEq(firm.headcountAt(until - 1), 3, "and the headcount");

        vm.warp(until + bound(gap, 0, cooldown + 1 days));
        vm.prank(ALICE);
        if (block.timestamp < until + cooldown) {
            vm.expectRevert(abi.encodeWithSelector(IPartnership.LeaveCooldown.selector, ALICE, uint48(until + cooldown)));
            firm.declareLeave(uint48(block.timestamp + minLeave + 1), address(0));
        } else {
            firm.declareLeave(uint48(block.timestamp + minLeave + 1), address(0));
        }

        vm.expectRevert(abi.encodeWithSelector(IPartnership.LeaveInvalidRules.selector, MAX_LEAVE + 1, uint48(0)));
        firm.setLeaveRules(MAX_LEAVE + 1, 0);
        vm.expectRevert(abi.encodeWithSelector(IPartnership.LeaveInvalidRules.selector, uint48(0), uint48(365 days + 1)));
        firm.setLeaveRules(0, 365 days + 1);
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IPartnership.PartnershipUnauthorized.selector, ALICE));
        firm.setLeaveRules(0, 0);
    }

    // A cover who resigns, retires or is removed hands the ballot back while the leave goes on: the
    // partner stays on leave and votes themself. A departed partner holds no ballot at any time, even
    // for times before they left (Partnership.ballot's rule), so Alice holds hers also for snapshots
    // inside the cover.
    function testDepartingCoverHandsTheBallotBack(
        uint256 delay,
        uint256 length,
        uint256 acceptAfter,
        uint256 departAfter,
        uint8 how,
        uint256 t
    ) public {
        uint256 from = T0 + bound(delay, 0, 400 days);
        uint256 planned = from + bound(length, MIN_LEAVE, MAX_LEAVE);
        vm.warp(from);
        vm.prank(ALICE);
        firm.declareLeave(uint48(planned), BOB);
        uint256 acceptedAt = bound(acceptAfter, from, planned - 1);
        vm.warp(acceptedAt);
        vm.prank(BOB);
        firm.acceptCover(ALICE);
        uint256 endedAt = bound(departAfter, acceptedAt, planned - 1);
        vm.warp(endedAt);
        vm.expectEmit();
        emit IPartnership.CoverEnded(ALICE, BOB, 1, uint48(endedAt));
        how %= 3;
        if (how == 0) {
            vm.prank(BOB);
            firm.resignCover();
        } else if (how == 1) {
            firm.remove(BOB);
        } else {
            firm.retire(BOB, CAROL, address(0), 0);
        }
        bool departed = how != 0;

        // The leave goes on; the cover ends when the cover steps down or leaves.
        _checkLeave(ALICE, Window(ALICE, BOB, acceptedAt, endedAt), from, planned, true);
        (, IPartnership.MemberStatus status, , , , ) = firm.memberOf(ALICE);
        assertEq(uint256(status), uint256(IPartnership.MemberStatus.OnLeave), "Alice is still on leave");
        assertEq(firm.coveringOf(BOB), address(0), "Bob covers no one");
        vm.prank(BOB);
        vm.expectRevert(abi.encodeWithSelector(IPartnership.CoverNotCovering.selector, BOB));
        firm.resignCover();

        t = bound(t, T0, planned + MAX_LEAVE);
        if (departed) {
            // Even inside the cover: the departed cover cannot cast her ballot, so it is hers again.
            assertEq(firm.ballot(ALICE, t).selfIndex, 1, "Alice's ballot is hers");
            assertEq(firm.coverAt(ALICE, t), address(0), "and no departed cover holds it");
            IPartnership.Ballot memory gone = firm.ballot(BOB, t);
            assertEq(gone.selfIndex, 0, "a departed partner holds no ballot of their own");
            assertEq(gone.coveredIndex, 0, "nor the ballot of the partner they covered");
            assertEq(firm.headcountAt(t), t < endedAt ? 3 : 2, "headcount");
        } else {
            // A resignation ends the cover from now on; the past stays as it was.
            _checkWindow(Window(ALICE, BOB, acceptedAt, endedAt), t);
            _checkEdges(Window(ALICE, BOB, acceptedAt, endedAt), from, planned);
        }
        // The request was for one cover: nobody else can take it over, nor Bob again.
        vm.prank(CAROL);
        vm.expectRevert(abi.encodeWithSelector(IPartnership.CoverNotRequested.selector, ALICE, CAROL));
        firm.acceptCover(ALICE);
        if (!departed) {
            vm.prank(BOB);
            vm.expectRevert(abi.encodeWithSelector(IPartnership.CoverNotRequested.selector, ALICE, BOB));
            firm.acceptCover(ALICE);
        }
        vm.warp(planned);
        (, status, , , , ) = firm.memberOf(ALICE);
        assertEq(uint256(status), uint256(IPartnership.MemberStatus.Active), "the leave lapses as planned");
    }

    // A partner who departs while covered takes their ballot along: the leave and its cover end, and
    // nobody holds that ballot at any time afterwards, the cover included.
    function testDepartingPartnerEndsTheirCover(uint256 delay, uint256 length, uint256 acceptAfter, uint256 departAfter, uint256 t) public {
        uint256 from = T0 + bound(delay, 0, 400 days);
        uint256 planned = from + bound(length, MIN_LEAVE, MAX_LEAVE);
        vm.warp(from);
        vm.prank(ALICE);
        firm.declareLeave(uint48(planned), BOB);
        uint256 acceptedAt = bound(acceptAfter, from, planned - 1);
        vm.warp(acceptedAt);
        vm.prank(BOB);
        firm.acceptCover(ALICE);
        uint256 removedAt = bound(departAfter, acceptedAt, planned - 1);
        vm.warp(removedAt);
        vm.expectEmit();
        emit IPartnership.LeaveEnded(ALICE, BOB, 1, uint48(removedAt));
        firm.remove(ALICE);
        assertEq(firm.coveringOf(BOB), address(0), "Bob covers no one");
        // The leave ends with the partnership, and the cover with it.
        _checkLeave(ALICE, Window(ALICE, BOB, acceptedAt, removedAt), from, removedAt, false);
        t = bound(t, T0, planned + MAX_LEAVE);
        assertEq(firm.ballot(ALICE, t).selfIndex, 0, "a departed partner holds no ballot");
        IPartnership.Ballot memory b = firm.ballot(BOB, t);
        assertEq(b.selfIndex, 2, "Bob keeps his own");
        assertEq(b.coveredIndex, 0, "and holds no departed partner's ballot");
        assertEq(firm.headcountAt(t), t < removedAt ? 3 : 2, "headcount");
        // Bob is free at once: he may take a leave himself.
        vm.prank(BOB);
        firm.declareLeave(uint48(removedAt + MIN_LEAVE), CAROL);
    }

    // What leaveOf says of `partner`'s latest leave [from, until) and its cover window `w`.
    function _checkLeave(address partner, Window memory w, uint256 from, uint256 until, bool inForce) private view {
        (address cover, uint48 leaveFrom, uint48 leaveUntil, bool leaveInForce, uint48 coverFrom, uint48 coverUntil) = firm.leaveOf(partner);
        assertEq(cover, w.cover, "the colleague asked");
        assertEq(leaveFrom, from, "leave start");
        assertEq(leaveUntil, until, "leave end");
        assertEq(leaveInForce, inForce, "leave in force");
        assertEq(coverFrom, w.coverFrom, "cover start, 0 if never accepted");
        assertEq(coverUntil, w.coverUntil, "cover end");
    }

    function _checkEdges(Window memory w, uint256 from, uint256 until) private view {
        uint256[4] memory times = [from - 1, from, until - 1, until];
        for (uint256 i = 0; i < 4; ++i) {
            if (times[i] >= T0) _checkWindow(w, times[i]);
        }
        if (w.coverFrom == 0) return;
        times = [w.coverFrom - 1, w.coverFrom, w.coverUntil - 1, w.coverUntil];
        for (uint256 i = 0; i < 4; ++i) {
            if (times[i] >= T0) _checkWindow(w, times[i]);
        }
    }

    // One leave whose ballot `w.cover` held over [w.coverFrom, w.coverUntil), the founders otherwise on duty.
    function _checkWindow(Window memory w, uint256 t) private view {
        bool inside = w.coverFrom != 0 && w.coverFrom <= t && t < w.coverUntil;
        uint256 partnerIndex = firm.memberIndex(w.partner);
        uint256 votes = firm.getVotes(w.partner);
        IPartnership.Ballot memory c = firm.ballot(w.cover, t);
        assertEq(c.selfIndex, firm.memberIndex(w.cover), "the cover keeps their own ballot");
        assertEq(firm.coverAt(w.cover, t), address(0), "and holds it themself");
        assertEq(c.covered, inside ? w.partner : address(0), "cover holds the partner's ballot exactly while the accepted cover runs");
        assertEq(c.coveredIndex, inside ? partnerIndex : 0, "covered index exactly while the cover runs");
        assertEq(c.coveredWeight, inside ? votes : 0, "covered weight is the partner's votes");
        IPartnership.Ballot memory p = firm.ballot(w.partner, t);
        assertEq(p.selfIndex, inside ? 0 : partnerIndex, "the partner holds their ballot, on leave or not, but while the cover runs");
        assertEq(p.selfWeight, inside ? 0 : votes, "own weight");
        assertEq(firm.coverAt(w.partner, t), inside ? w.cover : address(0), "held by the cover exactly while the cover runs");
        assertEq(p.coveredIndex, 0, "the partner covers no one");
        assertEq(firm.headcountAt(t), 3, "a leave never moves the headcount");
    }

    // Every founder's ballot has exactly one holder at `t`: the cover whose window contains `t`, or
    // the founder.
    function _checkChains(Window[3] memory w, uint256 t) private view {
        address[3] memory founders = [ALICE, BOB, CAROL];
        for (uint256 f = 0; f < 3; ++f) {
            address voter = founders[f];
            address heldBy;
            address covered;
            for (uint256 i = 0; i < 3; ++i) {
                if (w[i].coverFrom == 0 || t < w[i].coverFrom || t >= w[i].coverUntil) continue;
                if (w[i].partner == voter) heldBy = w[i].cover;
                if (w[i].cover == voter) covered = w[i].partner;
            }
            IPartnership.Ballot memory b = firm.ballot(voter, t);
            bool partner = t >= T0;
            assertEq(b.selfIndex, partner && heldBy == address(0) ? f + 1 : 0, "a partner holds their ballot but during a cover");
            assertEq(firm.coverAt(voter, t), heldBy, "held by the accepted cover exactly during the cover");
            assertEq(b.covered, partner ? covered : address(0), "covered partner exactly during the cover");
        }
        assertEq(firm.headcountAt(t), t >= T0 ? 3 : 0, "headcount over successive leaves");
    }
}
