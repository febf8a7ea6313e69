// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IPartnership} from "../../contracts/interfaces/IPartnership.sol";
import {FirmFixture} from "./utils/Firm.sol";
import {bound} from "./utils/Assertions.sol";
import {vm} from "./utils/Vm.sol";

// Property 2 for any grant and any two times: vesting never decreases, is zero before the cliff,
// complete at the end, linear in between, and frozen by a revocation. Plus release and votes.
contract VestingFuzzTest is FirmFixture {
    // The founders' 600 units share the uint64 vote total with the fuzzed grant.
    uint64 private constant MAX_UNITS = type(uint64).max - 600;

    struct Schedule {
        uint256 id;
        uint64 units;
        uint256 start;
        uint256 cliffEnd;
        uint256 end;
    }

    function testVestedNeverDecreasesAndIsZeroBeforeCliff(
        uint64 units,
        uint256 startSeed,
        uint32 cliff,
        uint32 duration,
        uint256 t1,
        uint256 t2
    ) public {
        Schedule memory s = _grant(units, startSeed, cliff, duration);
        t1 = bound(t1, 0, s.end + 365 days);
        t2 = bound(t2, t1, s.end + 730 days);
        uint256 v1 = firm.vestedAt(s.id, t1);
        uint256 v2 = firm.vestedAt(s.id, t2);
        assertLe(v1, v2, "vested(t1) <= vested(t2) for t1 <= t2");
        assertLe(v2, s.units, "vested <= units");
        _checkPoint(s, t1, v1);
        _checkPoint(s, t2, v2);
        // The instants around the cliff and the end, where off-by-one errors live.
        if (s.cliffEnd > 0) assertEq(firm.vestedAt(s.id, s.cliffEnd - 1), 0, "nothing one second before the cliff");
        _checkPoint(s, s.cliffEnd, firm.vestedAt(s.id, s.cliffEnd));
        assertEq(firm.vestedAt(s.id, s.end), s.units, "everything at the end");
        assertLe(firm.vestedAt(s.id, s.end - 1), s.units, "at most everything just before the end");
    }

    function testRevocationFreezesVesting(
        uint64 units,
        uint256 startSeed,
        uint32 cliff,
        uint32 duration,
        uint256 revokeAt,
        uint256 t
    ) public {
        Schedule memory s = _grant(units, startSeed, cliff, duration);
        revokeAt = bound(revokeAt, T0, s.end + 30 days);
        vm.warp(revokeAt);
        uint256 vestedAtRevocation = firm.vestedAt(s.id, revokeAt);
        uint256 votesBefore = firm.getVotes(ALICE);
        firm.revokeGrant(s.id);
        assertEq(votesBefore - firm.getVotes(ALICE), s.units - vestedAtRevocation, "votes fall by the unvested units");
        t = bound(t, 0, s.end + 730 days);
        uint256 v = firm.vestedAt(s.id, t);
        if (t >= revokeAt) assertEq(v, vestedAtRevocation, "frozen after revocation");
        else _checkPoint(s, t, v); // the past is unchanged
        vm.expectRevert(abi.encodeWithSelector(IPartnership.GrantAlreadyRevoked.selector, s.id));
        firm.revokeGrant(s.id);
    }

    function testReleaseMintsExactlyWhatVested(
        uint64 units,
        uint256 startSeed,
        uint32 cliff,
        uint32 duration,
        uint256 t1,
        uint256 t2
    ) public {
        Schedule memory s = _grant(units, startSeed, cliff, duration);
        uint256 votes = firm.getVotes(ALICE);
        t1 = bound(t1, T0, s.end + 1 days);
        t2 = bound(t2, t1, s.end + 2 days);
        _releaseAt(s, t1);
        _releaseAt(s, t2);
        (, , uint64 released, , , , ) = firm.grantOf(s.id);
        assertEq(released, firm.vestedAt(s.id, t2), "released = vested at the last release");
        assertEq(firm.balanceOf(ALICE), released, "balance = released (founder's stake still unreleased)");
        assertEq(firm.totalSupply(), released, "supply = released");
        assertEq(firm.getVotes(ALICE), votes, "releasing moves no votes");
    }

    function _releaseAt(Schedule memory s, uint256 t) private {
        vm.warp(t);
        uint256 releasable = firm.releasable(s.id);
        uint256 balance = firm.balanceOf(ALICE);
        if (releasable == 0) {
            vm.expectRevert(abi.encodeWithSelector(IPartnership.GrantNothingToRelease.selector, s.id));
            firm.release(s.id);
        } else {
            // Anyone may release; the units go to the beneficiary.
            vm.prank(CAROL);
            assertEq(firm.release(s.id), releasable, "release returns what was releasable");
            assertEq(firm.balanceOf(ALICE), balance + releasable, "minted to the beneficiary");
            assertEq(firm.releasable(s.id), 0, "nothing left right after a release");
        }
    }

    // A grant to Alice starting up to two years before or after now, with any cliff and duration.
    function _grant(uint64 units, uint256 startSeed, uint32 cliff, uint32 duration) private returns (Schedule memory s) {
        s.units = uint64(bound(units, 1, MAX_UNITS));
        duration = uint32(bound(duration, 1, type(uint32).max));
        cliff = uint32(bound(cliff, 0, duration));
        s.start = bound(startSeed, T0 - 730 days, T0 + 730 days);
        s.id = firm.createGrant(ALICE, _terms(s.units, s.start, cliff, duration));
        s.cliffEnd = s.start + cliff;
        s.end = s.start + duration;
    }

    function _checkPoint(Schedule memory s, uint256 t, uint256 v) private pure {
        if (t < s.cliffEnd) assertEq(v, 0, "zero before the cliff");
        else if (t >= s.end) assertEq(v, s.units, "all units at and after the end");
        else assertEq(v, (uint256(s.units) * (t - s.start)) / (s.end - s.start), "linear between cliff and end");
    }
}
