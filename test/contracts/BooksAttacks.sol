// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Books} from "../../contracts/Books.sol";
import {IBooks} from "../../contracts/interfaces/IBooks.sol";
import {IPartnership} from "../../contracts/interfaces/IPartnership.sol";
import {FeeOnTransferToken} from "../../contracts/mocks/FeeOnTransferToken.sol";
import {HostileReceiver} from "../../contracts/mocks/HostileReceiver.sol";
import {HostileToken} from "../../contracts/mocks/HostileToken.sol";
import {BooksFixture} from "./utils/BooksFixture.sol";
import {vm} from "./utils/Vm.sol";

// Issue 13's attacks on the books, each as a hostile partner or coalition would try it. Governance
// calls are the test contract's own (it is the timelock); everyone else acts through vm.prank.
contract BooksAttacks is BooksFixture {
    bytes4 internal constant REENTRANT = bytes4(keccak256("ReentrancyGuardReentrantCall()"));

    /// A hostile contract admitted as a member of "net" and named spender of its ETH budget.
    HostileReceiver internal mallory;

    function setUp() public override {
        super.setUp();
        mallory = new HostileReceiver();
        firm.admit(address(mallory), IPartnership.Role.Associate, "net", IPartnership.PracticeRole.Member, _terms(0, 0, 0, 0));
        books.setBudget("net", address(0), 10 ether, IBooks.Cadence.Monthly, false, _spenders(address(mallory)));
        vm.deal(address(this), 100 ether);
        books.deposit{value: 20 ether}("net", "INV-1");
    }

    function _assertAccounted(address token) internal view {
        assertEq(_balanceOf(token), books.held(token), "the books' balance is what they account for");
        assertLe(books.earmarked(token), books.held(token), "earmarked within held");
    }

    function _lastErrorSelector(bytes memory reason) internal pure returns (bytes4 selector) {
        if (reason.length >= 4) selector = bytes4(reason);
    }

    // ------------------------------------------------------------------------------------------
    // Reentrancy
    // ------------------------------------------------------------------------------------------

    function test_hostilePayeeReenteringPayIsRefused() public {
        mallory.arm(address(books), abi.encodeCall(Books.pay, ("net", address(mallory), 1 ether, "", "again")));
        mallory.execute(address(books), abi.encodeCall(Books.pay, ("net", address(mallory), 1 ether, "R-1", "first")));
        assertEq(mallory.reentryAttempts(), 1, "the payee re-entered");
        assertEq(mallory.reentrySuccesses(), 0, "the re-entry went nowhere");
        assertTrue(_lastErrorSelector(mallory.lastReentryError()) == REENTRANT, "refused by the guard");
        assertEq(mallory.ethReceived(), 1 ether, "paid once");
        assertEq(books.budgetOf("net").spent, 1 ether, "charged once");
        _assertAccounted(address(0));
    }

    function test_hostileClaimantReenteringClaimReclaimAndCloseIsRefused() public {
        vm.warp(IN_JULY);
        _close(JUNE, address(0));
        uint256 poolId = books.poolCount();
        // Claiming its share, Mallory's receive tries to claim again.
        mallory.arm(address(books), abi.encodeCall(Books.claimPool, (poolId)));
        mallory.execute(address(books), abi.encodeCall(Books.claimPool, (poolId)));
        assertTrue(_lastErrorSelector(mallory.lastReentryError()) == REENTRANT, "a second claim mid-claim is refused");
        // Paid from the budget, it tries to reclaim the pool, then to close the month.
        books.deposit{value: 5 ether}("net", "INV-2");
        mallory.arm(address(books), abi.encodeCall(Books.reclaimPool, (poolId)));
        vm.prank(ALICE);
        books.pay("net", address(mallory), 0.1 ether, "R-1", "");
        assertTrue(_lastErrorSelector(mallory.lastReentryError()) == REENTRANT, "a reclaim mid-payment is refused");
        mallory.arm(address(books), abi.encodeCall(Books.closePeriod, (JULY, address(0), 0)));
        vm.prank(ALICE);
        books.pay("net", address(mallory), 0.1 ether, "R-2", "");
        assertTrue(
            _lastErrorSelector(mallory.lastReentryError()) == IBooks.BooksUnauthorized.selector,
            "a close from the payee is refused"
        );
        assertEq(mallory.reentryAttempts(), 3, "three re-entries tried");
        assertEq(mallory.reentrySuccesses(), 0, "none went through");
        (, , uint256 amount, uint256 claimed, uint256 totalWeight, , ) = books.pool(poolId);
        assertEq(claimed, (amount * 2) / totalWeight, "one member share claimed, once");
        assertEq(books.earmarked(address(0)), amount - claimed, "earmarked is the unclaimed rest");
        _assertAccounted(address(0));
    }

    function test_hostileTokenHookReenteringIsRefused() public {
        HostileToken evil = new HostileToken();
        books.allowToken(address(evil), true);
        books.setBudget("sec", address(evil), 1_000, IBooks.Cadence.Monthly, false, _noSpenders());
        evil.mint(address(this), 10_000);
        evil.approve(address(books), 10_000);
        books.depositToken(address(evil), 10_000, "sec", "E-1");
        // The token calls Mallory during the transfer; Mallory tries to take a second payment and to sweep.
        evil.setHookRecipient(address(mallory));
        mallory.arm(address(books), abi.encodeCall(Books.sweep, (address(evil))));
        vm.prank(CAROL);
        books.pay("sec", address(mallory), 600, "E-PAY", "");
        assertEq(mallory.reentryAttempts(), 1, "the hook re-entered");
        assertTrue(_lastErrorSelector(mallory.lastReentryError()) == REENTRANT, "the sweep mid-payment is refused");
        // And the token itself, watching the books, re-enters pay as it is paid out.
        evil.arm(address(books), address(books), abi.encodeCall(Books.pay, ("sec", address(evil), 300, "", "")));
        vm.prank(CAROL);
        books.pay("sec", address(mallory), 300, "E-PAY-2", "");
        assertEq(evil.reentrySuccesses(), 0, "the token's re-entry went nowhere");
        assertTrue(_lastErrorSelector(evil.lastReentryError()) == REENTRANT, "refused by the guard");
        assertEq(evil.balanceOf(address(books)), books.held(address(evil)), "accounting intact");
        assertEq(books.held(address(evil)), 10_000 - 900, "two payments, nothing more");
    }

    // ------------------------------------------------------------------------------------------
    // Who may spend
    // ------------------------------------------------------------------------------------------

    function test_spenderRemovedFromTheSeatLosesTheBudgetAtOnce() public {
        books.setBudget("net", address(0), 10 ether, IBooks.Cadence.Monthly, false, _spenders(BOB));
        vm.prank(BOB);
        books.pay("net", DAVE, 1 ether, "S-1", "");
        practices.removePracticeMember("net", BOB);
        vm.prank(BOB);
        vm.expectRevert(abi.encodeWithSelector(IBooks.BooksNotSpender.selector, BOB, keccak256("net")));
        books.pay("net", DAVE, 1 ether, "S-2", "");
    }

    function test_departedSpenderLosesTheBudgetAtOnce() public {
        for (uint256 how = 0; how < 2; ++how) {
            books.setBudget("net", address(0), 10 ether, IBooks.Cadence.Monthly, false, _spenders(how == 0 ? BOB : DAVE));
            address spender = how == 0 ? BOB : DAVE;
            if (how == 0) firm.retire(BOB, address(0), address(0), 0);
            else firm.remove(DAVE);
            vm.prank(spender);
            vm.expectRevert(abi.encodeWithSelector(IBooks.BooksNotSpender.selector, spender, keccak256("net")));
            books.pay("net", CAROL, 1 ether, "", "");
        }
    }

    function test_formerLeadLosesTheBudgetWhenTheLeadChanges() public {
        vm.prank(ALICE);
        books.pay("net", DAVE, 1 ether, "L-1", "");
        practices.changePracticeLead("net", BOB);
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IBooks.BooksNotSpender.selector, ALICE, keccak256("net")));
        books.pay("net", DAVE, 1 ether, "L-2", "");
        vm.prank(BOB);
        books.pay("net", DAVE, 1 ether, "L-3", "");
    }

    function test_spenderCannotRaiseTheirOwnBudget() public {
        vm.startPrank(address(mallory));
        vm.expectRevert(abi.encodeWithSelector(IBooks.BooksUnauthorized.selector, address(mallory)));
        books.setBudget("net", address(0), 1_000 ether, IBooks.Cadence.Monthly, true, _spenders(address(mallory)));
        vm.expectRevert(abi.encodeWithSelector(IBooks.BooksUnauthorized.selector, address(mallory)));
        books.cutBudget("net", 1);
        vm.expectRevert(abi.encodeWithSelector(IBooks.BooksUnauthorized.selector, address(mallory)));
        books.payByProposal("net", address(0), address(mallory), 1 ether, "", "");
        vm.expectRevert(abi.encodeWithSelector(IBooks.BooksUnauthorized.selector, address(mallory)));
        books.setProfitRule(10_000, 1, 0, 0);
        vm.stopPrank();
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IBooks.BooksUnauthorized.selector, ALICE));
        books.closePeriod(JUNE, address(0), 0);
    }

    // ------------------------------------------------------------------------------------------
    // References
    // ------------------------------------------------------------------------------------------

    function test_aRepeatedInvoiceIsPaidOnlyWithinTheBudgetAndLeftForTheMirrorToFlag() public {
        // A hostile spender re-paying an accomplice's invoice: an on-chain refusal of the same
        // (payee, reference) would not stop them, since any other reference string passes it. What
        // bounds them is the budget, in both cases; the repeat is flagged by the mirror and refused by
        // `firm pay` before it is sent (test/cli/books.test.ts), which is where an honest mistake is caught.
        IBooks.BudgetView memory budget = books.budgetOf("net");
        vm.startPrank(ALICE);
        books.pay("net", DAVE, 1 ether, "INV-7", "");
        books.pay("net", DAVE, 1 ether, "INV-7", "a second try");
        books.pay("net", DAVE, 1 ether, "INV-7 ", "the same invoice, one space longer");
        uint256 left = budget.remaining - 3 ether;
        vm.expectRevert(abi.encodeWithSelector(IBooks.BooksOverBudget.selector, left + 1, left));
        books.pay("net", DAVE, left + 1, "INV-7", "");
        vm.stopPrank();
        // A repeated deposit reference is accepted and flagged on chain (a client paying an invoice in
        // two parts), where the flag costs nothing a spender could avoid.
        vm.expectEmit(address(books));
        emit IBooks.Deposited(keccak256("net"), address(0), address(this), 1 ether, "INV-1", JUNE, true);
        books.deposit{value: 1 ether}("net", "INV-1");
    }

    // ------------------------------------------------------------------------------------------
    // Allowances
    // ------------------------------------------------------------------------------------------

    function test_overBudgetIsRefusedAndTheNextMonthRenews() public {
        books.deposit{value: 30 ether}("net", "INV-2");
        vm.startPrank(ALICE);
        books.pay("net", DAVE, 7 ether, "", "");
        vm.expectRevert(abi.encodeWithSelector(IBooks.BooksOverBudget.selector, 4 ether, 3 ether));
        books.pay("net", DAVE, 4 ether, "", "");
        books.pay("net", DAVE, 3 ether, "", "");
        vm.expectRevert(abi.encodeWithSelector(IBooks.BooksOverBudget.selector, 1, 0));
        books.pay("net", DAVE, 1, "", "");
        vm.warp(IN_JULY);
        // July allows its own 10 and, with no rollover, nothing left from June.
        vm.expectRevert(abi.encodeWithSelector(IBooks.BooksOverBudget.selector, 10 ether + 1, 10 ether));
        books.pay("net", DAVE, 10 ether + 1, "", "");
        books.pay("net", DAVE, 10 ether, "", "");
        vm.stopPrank();
    }

    function test_rolloverOnlyWhenTheBudgetSaysSoAndAtMostOnePeriod() public {
        books.deposit{value: 60 ether}("net", "INV-2");
        books.setBudget("net", address(0), 10 ether, IBooks.Cadence.Monthly, true, _noSpenders());
        vm.startPrank(ALICE);
        books.pay("net", DAVE, 4 ether, "", "");
        // The budget's first period has nothing to roll over from.
        vm.expectRevert(abi.encodeWithSelector(IBooks.BooksOverBudget.selector, 7 ether, 6 ether));
        books.pay("net", DAVE, 7 ether, "", "");
        vm.warp(IN_JULY);
        // June left 6 unspent: July allows 16.
        vm.expectRevert(abi.encodeWithSelector(IBooks.BooksOverBudget.selector, 16 ether + 1, 16 ether));
        books.pay("net", DAVE, 16 ether + 1, "", "");
        vm.stopPrank();
        // Nothing spent in July or August: September rolls over August's 10 only, not July's too.
        vm.warp(IN_AUGUST + 31 days);
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IBooks.BooksOverBudget.selector, 20 ether + 1, 20 ether));
        books.pay("net", DAVE, 20 ether + 1, "", "");
        vm.prank(ALICE);
        books.pay("net", DAVE, 20 ether, "", "");
    }

    function test_cutAndRevokeLeavePaymentsMadeAndRefuseLaterOnes() public {
        vm.prank(ALICE);
        books.pay("net", DAVE, 6 ether, "C-1", "");
        books.cutBudget("net", 7 ether);
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IBooks.BooksOverBudget.selector, 2 ether, 1 ether));
        books.pay("net", DAVE, 2 ether, "C-2", "");
        vm.prank(ALICE);
        books.pay("net", DAVE, 1 ether, "C-3", "");
        books.revokeBudget("net");
        uint256 budgetId = books.budgetOf("net").budgetId;
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IBooks.BooksNoBudget.selector, keccak256("net")));
        books.pay("net", DAVE, 1, "C-4", "");
        assertEq(books.spentIn(budgetId, JUNE), 7 ether, "payments made before stand");
        (, uint256 expenses) = books.flowOf(JUNE, keccak256("net"), address(0));
        assertEq(expenses, 7 ether, "and count as the practice's expenses");
        assertEq(DAVE.balance, 7 ether, "the payee keeps them");
    }

    // ------------------------------------------------------------------------------------------
    // Pools and seats
    // ------------------------------------------------------------------------------------------

    function test_seatChangeInTheClosingBlockCannotOverClaim() public {
        vm.warp(IN_JULY);
        _close(JUNE, address(0));
        uint256 poolId = books.poolCount();
        (, , uint256 amount, , uint256 totalWeight, , ) = books.pool(poolId);
        assertEq(totalWeight, 3 + 2 + 1 + 2, "Alice, Bob, Dave and Mallory were seated");
        // In the same block, a coalition promotes Dave and seats Carol: neither counts at the timepoint.
        practices.setPracticeMember("net", DAVE, IPartnership.PracticeRole.Member);
        practices.setPracticeMember("net", CAROL, IPartnership.PracticeRole.Member);
        assertEq(books.claimablePool(poolId, CAROL), 0, "seated after the close: nothing");
        vm.prank(CAROL);
        vm.expectRevert(abi.encodeWithSelector(IBooks.BooksNothingToClaim.selector, poolId, CAROL));
        books.claimPool(poolId);
        address[4] memory seated = [ALICE, BOB, DAVE, address(mallory)];
        uint256 paid;
        for (uint256 i = 0; i < 4; ++i) paid += books.claimPoolFor(poolId, seated[i]);
        assertEq(books.claimablePool(poolId, DAVE), 0, "claimed once");
        assertEq(paid, (amount * 3) / 8 + (amount * 2) / 8 + amount / 8 + (amount * 2) / 8, "Dave paid as a technician");
        assertLe(paid, amount, "never more than the pool");
        _assertAccounted(address(0));
    }

    function test_memberWhoDepartsBeforeTheCloseGetsNoShare() public {
        // Removal alone empties Bob's seat: no release step for anyone to forget before the close.
        firm.remove(BOB);
        vm.warp(IN_JULY);
        _close(JUNE, address(0));
        uint256 poolId = books.poolCount();
        (, , , , uint256 totalWeight, , ) = books.pool(poolId);
        assertEq(totalWeight, 3 + 1 + 2, "Bob's seat is not counted");
        vm.expectRevert(abi.encodeWithSelector(IBooks.BooksNothingToClaim.selector, poolId, BOB));
        books.claimPoolFor(poolId, BOB);
    }

    // ------------------------------------------------------------------------------------------
    // Tokens
    // ------------------------------------------------------------------------------------------

    function test_feeOnTransferTokenIsRecordedAtWhatArrived() public {
        FeeOnTransferToken fee = new FeeOnTransferToken();
        books.allowToken(address(fee), true);
        fee.mint(address(this), 2_000);
        fee.approve(address(books), 1_000);
        books.depositToken(address(fee), 1_000, "sec", "F-1");
        (uint256 revenue_, ) = books.flowOf(JUNE, keccak256("sec"), address(fee));
        assertEq(revenue_, 990, "the 1% fee never arrived");
        assertEq(books.held(address(fee)), 990, "held is what arrived");
        // A plain transfer, untagged, is counted by sweep as unattributed revenue.
        fee.transfer(address(books), 500);
        assertEq(books.sweep(address(fee)), 495, "the sweep counts what arrived");
        (uint256 unattributed, ) = books.flowOf(JUNE, bytes32(0), address(fee));
        assertEq(unattributed, 495, "as the firm's own revenue");
        assertEq(fee.balanceOf(address(books)), books.held(address(fee)), "accounting intact");
        vm.expectRevert(abi.encodeWithSelector(IBooks.BooksInvalidAmount.selector, 0));
        books.sweep(address(fee));
    }

    // ------------------------------------------------------------------------------------------
    // The close
    // ------------------------------------------------------------------------------------------

    function test_closeRefusesAWrongLockstepTheCurrentMonthAndARepeat() public {
        vm.expectRevert(abi.encodeWithSelector(IBooks.BooksCannotClose.selector, JUNE, JUNE));
        books.closePeriod(JUNE, address(0), 0);
        vm.warp(IN_JULY);
        vm.expectRevert(abi.encodeWithSelector(IBooks.BooksCannotClose.selector, JULY, JUNE));
        books.closePeriod(JULY, address(0), 0);
        vm.expectRevert(abi.encodeWithSelector(IBooks.BooksCannotClose.selector, AUGUST, JUNE));
        books.closePeriod(AUGUST, address(0), 0);
        (, , uint256 lockstep, , ) = books.previewClose(JUNE, address(0));
        assertEq(lockstep, 10 ether, "half of net's 20 is lockstep");
        vm.expectRevert(abi.encodeWithSelector(IBooks.BooksCloseMismatch.selector, lockstep + 1, lockstep));
        books.closePeriod(JUNE, address(0), lockstep + 1);
        books.closePeriod(JUNE, address(0), lockstep);
        assertEq(books.nextMonthToClose(address(0)), JULY, "June is closed");
        vm.expectRevert(abi.encodeWithSelector(IBooks.BooksCannotClose.selector, JUNE, JULY));
        books.closePeriod(JUNE, address(0), 0);
    }

    function test_aLossCarriesForwardAndIsNeverDistributed() public {
        // June earns 20 in "net". July spends 5 of it on a firm cost before June is closed.
        vm.warp(IN_JULY);
        books.payByProposal("", address(0), DAVE, 5 ether, "RENT-7", "");
        // June's close would hand out June's whole net, which the books no longer hold: refused, not overdrawn.
        vm.expectRevert(abi.encodeWithSelector(IBooks.BooksInsufficientFunds.selector, address(0), 20 ether, 15 ether));
        books.closePeriod(JUNE, address(0), 10 ether);
        // August: a client pays 5 in "sec", and the months close in order.
        vm.warp(IN_AUGUST);
        books.deposit{value: 5 ether}("sec", "SEC-1");
        vm.warp(IN_AUGUST + 31 days);
        assertEq(_close(JUNE, address(0)), 10 ether, "June shares its 20");
        uint256 poolsAfterJune = books.poolCount();
        (int256 net, , uint256 lockstep, , ) = books.previewClose(JULY, address(0));
        assertTrue(net == -5 ether, "July lost 5");
        assertEq(lockstep, 0, "a loss shares nothing");
        books.closePeriod(JULY, address(0), 0);
        assertEq(books.carriedLoss(address(0)), 5 ether, "the loss carries forward");
        // August's 5 in "sec" only makes up the loss: no pool for "sec", nothing lockstep.
        (net, , lockstep, , ) = books.previewClose(AUGUST, address(0));
        assertTrue(net == 0, "August nets to zero after the carried loss");
        books.closePeriod(AUGUST, address(0), 0);
        assertEq(books.poolCount(), poolsAfterJune, "no pool while the loss is being made up");
        assertEq(books.carriedLoss(address(0)), 0, "the loss is made up");
        assertEq(books.held(address(0)) - books.earmarked(address(0)), 0, "nothing free is left unshared");
        assertEq(_balanceOf(address(0)), books.held(address(0)), "accounting intact");
    }
}
