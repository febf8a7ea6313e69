// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IPartnership} from "../../contracts/interfaces/IPartnership.sol";
import {IRevenueShare} from "../../contracts/interfaces/IRevenueShare.sol";
import {FirmFixture} from "./utils/Firm.sol";
import {bound} from "./utils/Assertions.sol";
import {vm} from "./utils/Vm.sol";

// Equity stays put (property 8) and distributions never pay out more than they hold (property 5), for
// any amounts; buy-backs burn exactly the vested units (property 3's burned side).
contract EquityFuzzTest is FirmFixture {
    function testEquityCannotMoveApproveOrDelegate(address from, address to, uint256 amount, bool released) public {
        vm.assume(from != address(0));
        if (released) {
            vm.warp(T0 + 1);
            firm.release(1); // Alice's 100 founder units, so `from` may be a real holder
            from = ALICE;
        }
        uint256 supply = firm.totalSupply();
        uint256 balance = firm.balanceOf(from);
        vm.startPrank(from);
        vm.expectRevert(IPartnership.EquityNonTransferable.selector);
        firm.transfer(to, amount);
        vm.expectRevert(IPartnership.EquityNonTransferable.selector);
        firm.transferFrom(from, to, amount);
        vm.expectRevert(IPartnership.EquityNonTransferable.selector);
        firm.transferFrom(to, from, amount);
        vm.expectRevert(IPartnership.EquityNonTransferable.selector);
        firm.approve(to, amount);
        vm.expectRevert(IPartnership.EquityNonTransferable.selector);
        firm.delegate(to);
        vm.expectRevert(IPartnership.EquityNonTransferable.selector);
        firm.delegateBySig(to, amount, block.timestamp, 27, bytes32(amount), bytes32(0));
        vm.stopPrank();
        assertEq(firm.totalSupply(), supply, "supply unchanged");
        assertEq(firm.balanceOf(from), balance, "balance unchanged");
        assertEq(firm.allowance(from, to), 0, "no allowance ever");
        assertEq(firm.delegates(from), from, "everyone votes their own units");
    }

    // Only governance mints (by granting) and only vesting releases: a stranger's calls change nothing.
    function testOnlyGovernanceGrantsAndRevokes(address caller, uint64 units) public {
        // The fuzzer draws callers from addresses it has seen, so it finds RevenueShare, the one
        // contract allowed to take snapshots.
        vm.assume(caller != address(this) && caller != address(revenue));
        units = uint64(bound(units, 1, 1e18));
        vm.startPrank(caller);
        vm.expectRevert(abi.encodeWithSelector(IPartnership.PartnershipUnauthorized.selector, caller));
        firm.createGrant(caller, _terms(units, 0, 0, 1));
        vm.expectRevert(abi.encodeWithSelector(IPartnership.PartnershipUnauthorized.selector, caller));
        firm.revokeGrant(1);
        vm.expectRevert(abi.encodeWithSelector(IPartnership.PartnershipUnauthorized.selector, caller));
        firm.remove(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IPartnership.PartnershipUnauthorized.selector, caller));
        firm.takeSnapshot();
        vm.stopPrank();
        assertEq(firm.totalSupply(), 0, "nothing minted");
    }

    function testDistributionNeverPaysMoreThanItHolds(uint96 amount, uint64[4] memory units, uint256 elapsed) public {
        // Dave joins with a grant of his own; then everyone's vested units are released.
        firm.admit(DAVE, IPartnership.Role.Associate, "", IPartnership.PracticeRole.None, _terms(1, 0, 0, 1));
        address[4] memory holders = [ALICE, BOB, CAROL, DAVE];
        uint256 grantsBefore = 4;
        for (uint256 i = 0; i < 4; ++i) {
            units[i] = uint64(bound(units[i], 1, 1e15));
            firm.createGrant(holders[i], _terms(units[i], 0, 0, 365 days));
        }
        vm.warp(T0 + bound(elapsed, 1, 400 days));
        for (uint256 id = 1; id <= grantsBefore + 4; ++id) {
            if (firm.releasable(id) != 0) firm.release(id);
        }
        uint256 supply = firm.totalSupply();
        uint256 value = bound(amount, 1, type(uint96).max);
        vm.deal(address(this), value);
        uint256 id = revenue.createDistribution{value: value}(address(0), value);

        uint256 paid;
        for (uint256 i = 0; i < 4; ++i) {
            uint256 expected = (value * firm.balanceOf(holders[i])) / supply;
            if (expected == 0) {
                vm.prank(holders[i]);
                vm.expectRevert(abi.encodeWithSelector(IRevenueShare.DistributionNothingToClaim.selector, id, holders[i]));
                revenue.claim(id);
                continue;
            }
            vm.prank(holders[i]);
            assertEq(revenue.claim(id), expected, "share = amount * balance / supply, rounded down");
            paid += expected;
            // A holder cannot claim twice, by either path.
            vm.prank(holders[i]);
            vm.expectRevert(abi.encodeWithSelector(IRevenueShare.DistributionAlreadyClaimed.selector, id, holders[i]));
            revenue.claim(id);
            vm.expectRevert(abi.encodeWithSelector(IRevenueShare.DistributionAlreadyClaimed.selector, id, holders[i]));
            revenue.claimFor(id, holders[i]);
        }
        (, uint256 total, uint256 claimed, , , ) = revenue.distribution(id);
        assertEq(claimed, paid, "claimed = sum of shares paid");
        assertLe(claimed, total, "claimed <= amount");
        assertLt(total - claimed, 4, "at most one unit of dust per holder");
        assertEq(address(revenue).balance, total - claimed, "the rest stays until reclaimed");
    }

    function testBuybackBurnsExactlyTheVestedUnits(uint64 units, uint32 duration, uint256 elapsed, uint96 price, bool releaseFirst) public {
        units = uint64(bound(units, 1, 1e15));
        duration = uint32(bound(duration, 1, 4 * 365 days));
        uint256 id = firm.createGrant(BOB, _terms(units, 0, 0, duration));
        vm.warp(T0 + bound(elapsed, 1, 5 * 365 days));
        uint256 vested = firm.vestedAt(id, block.timestamp);
        firm.release(2); // Bob's founder stake, 200 units
        if (releaseFirst && firm.releasable(id) != 0) firm.release(id);
        uint256 balanceBefore = firm.balanceOf(BOB);
        uint256 supplyBefore = firm.totalSupply();
        uint256 totalVotesBefore = _totalVotes();
        uint256 votesBefore = firm.getVotes(BOB);
        assertEq(votesBefore, 200 + uint256(units), "votes count every granted unit");
        uint256 value = bound(price, 1, 1e24);
        vm.deal(address(this), value);
        firm.retire{value: value}(BOB, address(0), address(0), value);
        (, , uint64 released, , , , uint48 revokedAt) = firm.grantOf(id);
        assertEq(revokedAt, block.timestamp, "the open grant is revoked at retirement");
        assertEq(released, vested, "everything vested was released before the burn");
        assertEq(firm.balanceOf(BOB), 0, "bought-back units are burned");
        assertEq(firm.getVotes(BOB), 0, "and their votes with them");
        assertEq(firm.totalSupply(), supplyBefore - balanceBefore, "supply loses Bob's released units, mints nothing");
        assertEq(_totalVotes(), totalVotesBefore - votesBefore, "total votes lose all of Bob's");
        assertEq(firm.buybackOwed(BOB, address(0)), value, "the price is owed to Bob");
        uint256 before = BOB.balance;
        vm.prank(BOB);
        firm.withdrawBuyback(address(0));
        assertEq(BOB.balance, before + value, "Bob withdraws the price");
        assertEq(address(firm).balance, 0, "nothing left behind");
        vm.prank(BOB);
        vm.expectRevert(abi.encodeWithSelector(IPartnership.BuybackNothingOwed.selector, BOB));
        firm.withdrawBuyback(address(0));
    }

    function _totalVotes() private view returns (uint256 total) {
        total = firm.getVotes(ALICE) + firm.getVotes(BOB) + firm.getVotes(CAROL);
    }
}
