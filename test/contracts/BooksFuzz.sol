// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IBooks} from "../../contracts/interfaces/IBooks.sol";
import {BooksFixture} from "./utils/BooksFixture.sol";
import {bound} from "./utils/Assertions.sol";
import {vm} from "./utils/Vm.sol";

// Fuzz properties of the books' calendar and split: monthOf against a year-by-year reference,
// addMonths round trips, quarter periods, and a close that never hands out more than the net, with
// practice pools in proportion to what each practice earned.
contract BooksFuzz is BooksFixture {
    /// 2200-01-01T00:00:00Z.
    uint256 internal constant YEAR_2200 = 7_258_118_400;

    /// The reference: walk the years, then the months, from 1970 (no shared formula with monthOf).
    function _referenceMonth(uint256 timestamp) internal pure returns (uint32) {
        uint256 day = timestamp / 1 days;
        uint256 year = 1970;
        while (true) {
            uint256 length = _isLeap(year) ? 366 : 365;
            if (day < length) break;
            day -= length;
            ++year;
        }
        uint8[12] memory lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        if (_isLeap(year)) lengths[1] = 29;
        uint256 month = 0;
        while (day >= lengths[month]) {
            day -= lengths[month];
            ++month;
        }
        return uint32(year * 100 + month + 1);
    }

    function _isLeap(uint256 year) internal pure returns (bool) {
        return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    }

    function testFuzz_monthOfAgreesWithTheReference(uint256 seed) public view {
        uint256 timestamp = bound(seed, 0, YEAR_2200);
        assertEq(books.monthOf(timestamp), _referenceMonth(timestamp), "monthOf");
        // The last second of a day and the first of the next agree with the reference too.
        uint256 midnight = (timestamp / 1 days) * 1 days;
        if (midnight > 0) assertEq(books.monthOf(midnight - 1), _referenceMonth(midnight - 1), "monthOf before midnight");
    }

    function testFuzz_addMonthsRoundTrips(uint256 monthSeed, int256 deltaSeed) public view {
        uint32 month = books.monthOf(bound(monthSeed, 0, YEAR_2200));
        int256 delta = int256(bound(uint256(deltaSeed), 0, 2_400)) - 1_200;
        uint32 moved = books.addMonths(month, delta);
        assertEq(books.addMonths(moved, -delta), month, "addMonths(addMonths(m, d), -d) == m");
        uint256 m = moved % 100;
        assertTrue(m >= 1 && m <= 12, "a real month");
        int256 index = int256(uint256(month / 100)) * 12 + int256(uint256(month % 100));
        int256 movedIndex = int256(uint256(moved / 100)) * 12 + int256(uint256(moved % 100));
        assertTrue(movedIndex - index == delta, "moved by exactly delta months");
    }

    function testFuzz_nextMonthStartsAfterTheLastDay(uint256 seed) public view {
        uint256 timestamp = bound(seed, 0, YEAR_2200);
        uint32 month = books.monthOf(timestamp);
        // No month is longer than 31 days nor two months shorter than 59: 32 days on is the next or the one after.
        uint32 later = books.monthOf(timestamp + 32 days);
        assertTrue(later == books.addMonths(month, 1) || later == books.addMonths(month, 2), "32 days later");
    }

    function testFuzz_quarterlyBudgetPeriodIsTheQuarterStart(uint256 seed) public {
        uint256 timestamp = bound(seed, T0, YEAR_2200 - 1);
        vm.warp(timestamp);
        books.setBudget("net", address(0), 1 ether, IBooks.Cadence.Quarterly, false, _noSpenders());
        uint32 month = _referenceMonth(timestamp);
        uint32 m = month % 100;
        uint32 quarterStart = month - m + (m <= 3 ? 1 : m <= 6 ? 4 : m <= 9 ? 7 : 10);
        assertEq(books.budgetOf("net").period, quarterStart, "quarterly period");
        books.setBudget("net", address(0), 1 ether, IBooks.Cadence.Monthly, false, _noSpenders());
        assertEq(books.budgetOf("net").period, month, "monthly period");
    }

    function testFuzz_splitNeverExceedsTheNetAndPoolsAreProportional(
        uint96 netRevenue,
        uint96 secRevenue,
        uint96 firmRevenue,
        uint256 netCostSeed,
        uint256 firmCostSeed,
        uint16 shareSeed
    ) public {
        uint256 netIn = bound(netRevenue, 1, 1e27);
        uint256 secIn = bound(secRevenue, 0, 1e27);
        uint256 firmIn = bound(firmRevenue, 0, 1e27);
        books.setProfitRule(uint16(bound(shareSeed, 0, 10_000)), 3, 2, 1);
        _depositUsd("net", netIn, "");
        if (secIn > 0) _depositUsd("sec", secIn, "");
        if (firmIn > 0) _depositUsd("", firmIn, "");
        uint256 total = netIn + secIn + firmIn;
        uint256 netCost = bound(netCostSeed, 0, total);
        uint256 firmCost = bound(firmCostSeed, 0, total - netCost);
        if (netCost > 0) books.payByProposal("net", address(usd), DAVE, netCost, "", "");
        if (firmCost > 0) books.payByProposal("", address(usd), DAVE, firmCost, "", "");
        vm.warp(IN_JULY);
        (int256 net, uint256 toPractices, uint256 lockstep, bytes32[] memory ids, uint256[] memory amounts) =
            books.previewClose(JUNE, address(usd));
        assertTrue(net == int256(total) - int256(netCost + firmCost), "net is revenue less costs");
        uint256 positive = net > 0 ? uint256(net) : 0;
        assertEq(toPractices + lockstep, positive, "pools and lockstep split exactly the positive net");
        (uint16 bps, , , ) = books.profitRule();
        uint256 wanted;
        uint256[] memory wants = new uint256[](ids.length);
        for (uint256 i = 0; i < ids.length; ++i) {
            (uint256 revenue_, uint256 expenses) = books.flowOf(JUNE, ids[i], address(usd));
            if (ids[i] != bytes32(0) && revenue_ > expenses) wants[i] = ((revenue_ - expenses) * bps) / 10_000;
            wanted += wants[i];
            assertLe(amounts[i], wants[i], "no pool above its practice's share");
        }
        for (uint256 i = 0; i < ids.length; ++i) {
            uint256 expected = wanted > positive ? (wants[i] * positive) / wanted : wants[i];
            assertEq(amounts[i], expected, "pools in proportion to the practices' shares");
        }
        uint256 governanceBefore = usd.balanceOf(address(this));
        books.closePeriod(JUNE, address(usd), lockstep);
        assertEq(usd.balanceOf(address(this)) - governanceBefore, lockstep, "the timelock got the lockstep");
        assertEq(books.earmarked(address(usd)), toPractices, "the pools are set aside");
        assertEq(usd.balanceOf(address(books)), books.held(address(usd)), "accounting intact");
        assertLe(books.earmarked(address(usd)), books.held(address(usd)), "pools are funded");
    }
}
