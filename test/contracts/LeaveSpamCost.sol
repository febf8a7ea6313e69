// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Partnership} from "../../contracts/Partnership.sol";
import {IPartnership} from "../../contracts/interfaces/IPartnership.sol";
import {FirmFixture} from "./utils/Firm.sol";
import {bound, toString} from "./utils/Assertions.sol";
import {vm} from "./utils/Vm.sol";

// Bounded cost (issue 9, "freezing governance by leave spam"): what the governor reads at a snapshot
// (headcountAt, ballot, coverAt) must not grow with the number of leaves a partner has written. Alice
// spams leaves on `firm`; `fresh`, deployed alike, does not. Both then go through the same closing
// leaves at the same times, so both answer a recent snapshot from the same current records and only
// the history behind them differs: the bound is on that history, not on whether a firm ever had a
// leave (against a firm that never had one, a cover's ballot reads its latest cover record too, one
// slot more whatever the history).
//
// Every measurement runs in its own call frame after vm.cool, so both firms pay cold storage as a
// fresh transaction would, whatever this test read before. The leave rules are 0/0 (set by the test,
// which is the firm's governance) so that a history can be as dense as one record a second.
contract LeaveSpamCostTest is FirmFixture {
    // Within 10 % of the fresh firm, for a recent snapshot.
    uint256 private constant RECENT_TOLERANCE_PCT = 10;
    // A cold storage read (EIP-2929), and one step of Checkpoints' binary search: the checkpoint's
    // cold slot plus the array arithmetic and the loop (about 150 gas).
    uint256 private constant COLD_SLOAD = 2_100;
    uint256 private constant PROBE = COLD_SLOAD + 200;
    // Slots an old lookup may read that a fresh firm's does not, whatever the history's length: the
    // history's length and its newest checkpoint, the cover record, the covered partner's account,
    // member slot and holding, the cover's account and member slot.
    uint256 private constant OLD_LOOKUP_EXTRA_SLOTS = 8;

    Partnership internal fresh;

    function setUp() public override {
        super.setUp();
        address[] memory founders = new address[](3);
        uint64[] memory units = new uint64[](3);
        (founders[0], founders[1], founders[2]) = (ALICE, BOB, CAROL);
        (units[0], units[1], units[2]) = (100, 200, 300);
        fresh = new Partnership(address(this), CLAIM_WINDOW, founders, units);
        vm.label(address(fresh), "FreshPartnership");
        firm.setLeaveRules(0, 0);
        fresh.setLeaveRules(0, 0);
    }

    // A random history: up to 300 leaves of random lengths, Bob asked or nobody, the cover accepted or
    // not, resigned or not, the leave ended early or lapsed.
    /// forge-config: default.fuzz.runs = 48
    function testRandomLeaveHistoryKeepsLookupsCheap(uint256 seed, uint256 count, uint8 closing, uint256 oldSeed) public {
        uint256 n = bound(count, 1, 300);
        uint256 start = block.timestamp;
        uint256 now_ = _spam(n, seed, start);
        uint256 at = _closingLeaves(now_, closing);
        _assertRecentLookupsAsCheap(at);
        // An old snapshot inside the spam: one binary search per history, whose length is at most two
        // checkpoints (acceptance, early end) per leave.
        _assertOldLookupsLogarithmic(bound(oldSeed, start, now_ - 1), 2 * n + 4);
    }

    // The issue's figure: 10,000 leave records by one partner, a new one every 4 seconds, in a pattern
    // that exercises every path (Bob asked or nobody, accepted or not, ended early, lapsed or resigned).
    function testTenThousandLeavesKeepLookupsCheap() public {
        uint256 records = 10_000;
        uint256 start = block.timestamp;
        for (uint256 i = 0; i < records; ++i) {
            uint256 from = start + 4 * i;
            vm.warp(from);
            bool asked = i % 5 != 4;
            vm.prank(ALICE);
            firm.declareLeave(uint48(from + 3), asked ? BOB : address(0));
            bool accepted = asked && i % 3 != 2;
            if (accepted) {
                vm.prank(BOB);
                firm.acceptCover(ALICE);
            }
            if (i % 2 == 0) {
                vm.warp(from + 1);
                vm.prank(ALICE);
                firm.endLeave();
            } else if (accepted && i % 7 == 0) {
                vm.warp(from + 2);
                vm.prank(BOB);
                firm.resignCover();
            }
        }
        (, , uint256 leaves) = firm.counts();
        assertEq(leaves, records, "every leave was recorded");
        uint256 at = _closingLeaves(start + 4 * records, 0x07);
        _assertRecentLookupsAsCheap(at);
        // Leave 5001 was accepted and lapsed: at its second second, Bob held Alice's ballot.
        uint256 old = start + 4 * 5001 + 1;
        assertEq(firm.coverAt(ALICE, old), BOB, "the old snapshot falls inside an accepted cover");
        assertEq(firm.ballot(BOB, old).covered, ALICE, "and Bob's ballot carries Alice's then");
        // Each history holds at most two checkpoints per record.
        _assertOldLookupsLogarithmic(old, 2 * records + 4);
    }

    // Writes `n` random leaves of Alice on `firm` from `start`; returns the time after the last.
    function _spam(uint256 n, uint256 seed, uint256 start) private returns (uint256 now_) {
        now_ = start;
        for (uint256 i = 0; i < n; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            uint256 length = bound(r, 1, 2 days);
            uint256 until = now_ + length;
            bool asked = (r >> 64) % 4 != 0;
            vm.warp(now_);
            vm.prank(ALICE);
            firm.declareLeave(uint48(until), asked ? BOB : address(0));
            uint256 t = now_;
            if (asked && (r >> 72) % 3 != 0) {
                t = now_ + ((r >> 80) % length);
                vm.warp(t);
                vm.prank(BOB);
                firm.acceptCover(ALICE);
                if ((r >> 88) % 4 == 0) {
                    t += (r >> 96) % (until - t);
                    vm.warp(t);
                    vm.prank(BOB);
                    firm.resignCover();
                }
            }
            if ((r >> 104) % 2 == 0) {
                // Ended early, at the latest in the leave's last second.
                t += (r >> 112) % (until - t);
                vm.warp(t);
                vm.prank(ALICE);
                firm.endLeave();
                until = t;
            }
            // With no cooldown the next leave may start in the second this one ended.
            now_ = until + ((r >> 120) % 1 hours);
        }
    }

    // The same two leaves on both firms at the same times: one accepted by Bob that lapses, then one
    // shaped by `closing` (Bob asked or nobody, accepted or not, ended early or still running).
    // Returns the snapshot to measure: a second ago, inside or just after the last leave.
    function _closingLeaves(uint256 now_, uint8 closing) private returns (uint256) {
        Partnership[2] memory firms = [firm, fresh];
        bool asked = closing & 1 != 0;
        bool accepted = asked && closing & 2 != 0;
        bool endedEarly = closing & 4 != 0;
        vm.warp(now_);
        for (uint256 k = 0; k < 2; ++k) {
            vm.prank(ALICE);
            firms[k].declareLeave(uint48(now_ + 1 days), BOB);
            vm.prank(BOB);
            firms[k].acceptCover(ALICE);
        }
        now_ += 1 days;
        vm.warp(now_);
        for (uint256 k = 0; k < 2; ++k) {
            vm.prank(ALICE);
            firms[k].declareLeave(uint48(now_ + 1 days), asked ? BOB : address(0));
            if (accepted) {
                vm.prank(BOB);
                firms[k].acceptCover(ALICE);
            }
        }
        now_ += 1 hours;
        if (endedEarly) {
            vm.warp(now_);
            for (uint256 k = 0; k < 2; ++k) {
                vm.prank(ALICE);
                firms[k].endLeave();
            }
        }
        vm.warp(now_ + 1 hours);
        return now_ + 1 hours - 1;
    }

    function _assertRecentLookupsAsCheap(uint256 at) private {
        bytes[7] memory calls = [
            abi.encodeCall(Partnership.headcountAt, (at)),
            abi.encodeCall(Partnership.partnerVotesAt, (at)),
            abi.encodeCall(Partnership.ballot, (ALICE, at)),
            abi.encodeCall(Partnership.ballot, (BOB, at)),
            abi.encodeCall(Partnership.ballot, (CAROL, at)),
            abi.encodeCall(Partnership.coverAt, (ALICE, at)),
            abi.encodeCall(Partnership.coveringOf, (BOB))
        ];
        string[7] memory names = [
            "headcountAt",
            "partnerVotesAt",
            "ballot of the spammer",
            "ballot of their cover",
            "ballot of an unrelated partner",
            "coverAt of the spammer",
            "coveringOf their cover"
        ];
        for (uint256 i = 0; i < calls.length; ++i) {
            (uint256 spammed, bytes memory answer) = _measure(firm, calls[i]);
            (uint256 reference_, bytes memory freshAnswer) = _measure(fresh, calls[i]);
            assertTrue(keccak256(answer) == keccak256(freshAnswer), string.concat(names[i], ": the same answer as the fresh firm"));
            assertLe(
                spammed * 100,
                reference_ * (100 + RECENT_TOLERANCE_PCT),
                string.concat(names[i], " at a recent snapshot (gas x100) within 10% of the fresh firm's (x110), fresh ", toString(reference_))
            );
        }
    }

    // At an old snapshot the spammed firm does one binary search per history it reads (the spammer's
    // covers, the cover's), so its cost is at most twice the fresh firm's (which answers from the
    // same code paths with short histories) plus the search: ceil(log2(length)) + 1 probes, each a
    // cold checkpoint, plus the slots listed at OLD_LOOKUP_EXTRA_SLOTS. A scan of the history would
    // read one slot per leave: 2,100 gas each, millions of gas at 10,000 leaves.
    function _assertOldLookupsLogarithmic(uint256 at, uint256 historyLength) private {
        uint256 budget = (_log2Ceil(historyLength) + 1) * PROBE + OLD_LOOKUP_EXTRA_SLOTS * COLD_SLOAD;
        bytes[3] memory calls = [
            abi.encodeCall(Partnership.ballot, (ALICE, at)),
            abi.encodeCall(Partnership.ballot, (BOB, at)),
            abi.encodeCall(Partnership.coverAt, (ALICE, at))
        ];
        string[3] memory names = ["ballot of the spammer", "ballot of their cover", "coverAt of the spammer"];
        for (uint256 i = 0; i < calls.length; ++i) {
            (uint256 spammed, ) = _measure(firm, calls[i]);
            (uint256 reference_, ) = _measure(fresh, calls[i]);
            assertLe(spammed, 2 * reference_ + budget, string.concat(names[i], " at an old snapshot: within 2x fresh + the binary search"));
        }
    }

    function _measure(Partnership target, bytes memory data) private returns (uint256 used, bytes memory answer) {
        vm.cool(address(target));
        bool ok;
        uint256 before = gasleft();
        (ok, answer) = address(target).staticcall(data);
        used = before - gasleft();
        assertTrue(ok, "lookup reverted");
    }

    function _log2Ceil(uint256 x) private pure returns (uint256 r) {
        while ((uint256(1) << r) < x) ++r;
    }
}
