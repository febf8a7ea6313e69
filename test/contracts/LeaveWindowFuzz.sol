// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IPartnership} from "../../contracts/interfaces/IPartnership.sol";
import {FirmFixture} from "./utils/Firm.sol";
import {bound} from "./utils/Assertions.sol";
import {vm} from "./utils/Vm.sol";

// The leave window, fuzzed: a cover's ballot (Partnership.ballot(cover, t)) includes the covered
// partner exactly for t in [from, until), and the partner's own ballot is empty exactly then; the
// headcount drops by one exactly then too. Founders: Alice (index 1), Bob (2), Carol (3), all partners
// since T0.
contract LeaveWindowFuzzTest is FirmFixture {
    function testCoverHoldsBallotExactlyDuringLeave(uint256 delay, uint256 length, uint256 t) public {
        uint256 from = T0 + bound(delay, 0, 400 days);
        uint256 until = from + bound(length, 1, MAX_LEAVE);
        vm.warp(from);
        vm.prank(ALICE);
        firm.declareLeave(uint48(until), BOB);
        _checkWindow(ALICE, BOB, from, until, bound(t, T0, until + MAX_LEAVE));
        _checkEdges(ALICE, BOB, from, until);
        // The same answers once the leave is over and looked at from later on.
        vm.warp(until + bound(t, 0, 2 * uint256(MAX_LEAVE)));
        _checkWindow(ALICE, BOB, from, until, bound(t, T0, until + MAX_LEAVE));
        _checkEdges(ALICE, BOB, from, until);
        (, IPartnership.MemberStatus status, , , , ) = firm.memberOf(ALICE);
        assertEq(uint256(status), uint256(IPartnership.MemberStatus.Active), "the leave lapsed by itself");
    }

    function testEndingLeaveEarlyClosesTheWindow(uint256 delay, uint256 length, uint256 endAfter, uint256 t) public {
        uint256 from = T0 + bound(delay, 0, 400 days);
        uint256 planned = from + bound(length, 1, MAX_LEAVE);
        vm.warp(from);
        vm.prank(ALICE);
        firm.declareLeave(uint48(planned), BOB);
        // Ended in the same second it began at the earliest (an empty window), one second before it would lapse at the latest.
        uint256 endedAt = bound(endAfter, from, planned - 1);
        vm.warp(endedAt);
        vm.prank(ALICE);
        firm.endLeave();
        _checkWindow(ALICE, BOB, from, endedAt, bound(t, T0, planned + MAX_LEAVE));
        _checkEdges(ALICE, BOB, from, endedAt);
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IPartnership.LeaveNotOnLeave.selector, ALICE));
        firm.endLeave();
    }

    // Successive leaves: Alice covered by Bob, then Carol covered by Bob, then Alice covered by Carol.
    // Past lookups walk both the partner's chain (Alice's two leaves) and the cover's chain (Bob's two covers).
    function testSuccessiveLeavesKeepTheirWindows(uint256[3] memory gaps, uint256[3] memory lengths, uint256 t) public {
        uint256[3] memory from;
        uint256[3] memory until;
        address[3] memory partner = [ALICE, CAROL, ALICE];
        address[3] memory cover = [BOB, BOB, CAROL];
        uint256 now_ = T0;
        for (uint256 i = 0; i < 3; ++i) {
            // Each leave may start in the very second the previous one ended.
            from[i] = now_ + bound(gaps[i], 0, 60 days);
            until[i] = from[i] + bound(lengths[i], 1, 90 days);
            vm.warp(from[i]);
            vm.prank(partner[i]);
            firm.declareLeave(uint48(until[i]), cover[i]);
            now_ = until[i];
        }
        vm.warp(now_ + 1);
        uint256 at = bound(t, T0, now_ + 30 days);
        uint256[5] memory times = [at, from[0], from[1], until[1], until[2]];
        for (uint256 k = 0; k < times.length; ++k) _checkChains(from, until, partner, cover, times[k]);
        for (uint256 i = 0; i < 3; ++i) {
            if (from[i] > 0) _checkChains(from, until, partner, cover, from[i] - 1);
            _checkChains(from, until, partner, cover, until[i] - 1);
        }
    }

    // A cover who retires (or is removed) hands the ballot back: the leave ends then, and the partner
    // votes in their own name, also on proposals whose snapshot fell inside the leave. A departed
    // partner holds no ballot at any time, even for
    // times before they left (Partnership.ballot's rule).
    function testDepartingCoverEndsTheLeave(uint256 delay, uint256 length, uint256 departAfter, bool viaRemove, uint256 t) public {
        uint256 from = T0 + bound(delay, 0, 400 days);
        uint256 planned = from + bound(length, 1, MAX_LEAVE);
        vm.warp(from);
        vm.prank(ALICE);
        firm.declareLeave(uint48(planned), BOB);
        uint256 departedAt = bound(departAfter, from, planned - 1);
        vm.warp(departedAt);
        if (viaRemove) firm.remove(BOB);
        else firm.retire(BOB, CAROL, address(0), 0);
        (address cover, uint48 leaveFrom, uint48 leaveUntil, bool inForce) = firm.leaveOf(ALICE);
        assertEq(cover, BOB, "the leave's cover");
        assertEq(leaveFrom, from, "leave start");
        assertEq(leaveUntil, departedAt, "the leave ends when the cover departs");
        assertFalse(inForce, "no leave in force after the cover departed");
        (, IPartnership.MemberStatus status, , , , ) = firm.memberOf(ALICE);
        assertEq(uint256(status), uint256(IPartnership.MemberStatus.Active), "Alice is active again");
        assertEq(firm.coveringOf(BOB), address(0), "Bob covers no one");

        t = bound(t, T0, planned + MAX_LEAVE);
        bool inside = from <= t && t < departedAt;
        // Even inside the leave: the departed cover cannot cast her ballot, so it comes back to her.
        IPartnership.Ballot memory own = firm.ballot(ALICE, t);
        assertEq(own.selfIndex, 1, "Alice holds her own ballot once her cover has departed");
        IPartnership.Ballot memory departed = firm.ballot(BOB, t);
        assertEq(departed.selfIndex, 0, "a departed partner holds no ballot of their own");
        assertEq(departed.coveredIndex, 0, "nor the ballot of the partner they covered");
        uint256 partners = t < departedAt ? 3 : 2;
        assertEq(firm.headcountAt(t), partners - (inside ? 1 : 0), "headcount");
        // Alice can take a new leave at once, with Carol as cover.
        vm.prank(ALICE);
        firm.declareLeave(uint48(departedAt + 1), CAROL);
        assertEq(firm.ballot(CAROL, departedAt).covered, ALICE, "Carol covers Alice from now");
    }

    function _checkEdges(address partner, address cover, uint256 from, uint256 until) private view {
        if (from > T0) _checkWindow(partner, cover, from, until, from - 1);
        _checkWindow(partner, cover, from, until, from);
        if (until > from) _checkWindow(partner, cover, from, until, until - 1);
        _checkWindow(partner, cover, from, until, until);
    }

    // One leave of `partner` covered by `cover` over [from, until), the founders otherwise on duty.
    function _checkWindow(address partner, address cover, uint256 from, uint256 until, uint256 t) private view {
        bool inside = from <= t && t < until;
        uint256 partnerIndex = firm.memberIndex(partner);
        IPartnership.Ballot memory c = firm.ballot(cover, t);
        assertEq(c.selfIndex, firm.memberIndex(cover), "the cover keeps their own ballot");
        assertEq(c.covered, inside ? partner : address(0), "cover holds the partner's ballot exactly during the leave");
        assertEq(c.coveredIndex, inside ? partnerIndex : 0, "covered index exactly during the leave");
        assertEq(c.coveredWeight, inside ? firm.getVotes(partner) : 0, "covered weight is the partner's votes");
        IPartnership.Ballot memory p = firm.ballot(partner, t);
        assertEq(p.selfIndex, inside ? 0 : partnerIndex, "the partner's own ballot is empty exactly during the leave");
        assertEq(p.selfWeight, inside ? 0 : firm.getVotes(partner), "own weight outside the leave");
        assertEq(p.coveredIndex, 0, "the partner covers no one");
        assertEq(firm.headcountAt(t), inside ? 2 : 3, "headcount drops by one exactly during the leave");
    }

    function _checkChains(
        uint256[3] memory from,
        uint256[3] memory until,
        address[3] memory partner,
        address[3] memory cover,
        uint256 t
    ) private view {
        address[3] memory founders = [ALICE, BOB, CAROL];
        uint256 onLeave;
        for (uint256 f = 0; f < 3; ++f) {
            address voter = founders[f];
            bool away;
            address covered;
            for (uint256 i = 0; i < 3; ++i) {
                if (from[i] <= t && t < until[i]) {
                    if (partner[i] == voter) away = true;
                    if (cover[i] == voter) covered = partner[i];
                }
            }
            if (away) ++onLeave;
            IPartnership.Ballot memory b = firm.ballot(voter, t);
            assertEq(b.selfIndex, away || t < T0 ? 0 : f + 1, "own ballot exactly when not on leave");
            assertEq(b.covered, t < T0 ? address(0) : covered, "covered partner exactly during their leave");
        }
        if (t >= T0) assertEq(firm.headcountAt(t), 3 - onLeave, "headcount over successive leaves");
    }

}
