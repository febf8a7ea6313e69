// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Books, IClaimWindowSource} from "../../contracts/Books.sol";
import {Partnership} from "../../contracts/Partnership.sol";
import {Practices} from "../../contracts/Practices.sol";
import {IPartnership} from "../../contracts/interfaces/IPartnership.sol";
import {TestStablecoin} from "../../contracts/mocks/TestStablecoin.sol";
import {IMemberSource} from "../../contracts/interfaces/IMemberSource.sol";
import {ISeatSource} from "../../contracts/interfaces/ISeatSource.sol";
import {BooksHandler} from "./handlers/BooksHandler.sol";
import {Assertions} from "./utils/Assertions.sol";
import {vm} from "./utils/Vm.sol";

// What the runner reads from `targetSelectors()`: the same ABI shape as forge-std's FuzzSelector.
struct FuzzSelector {
    address addr;
    bytes4[] selectors;
}

// Invariant campaign of the books (issue 13) over BooksHandler's random walk, in ETH and a stablecoin:
// 1. each token's balance is what the books hold, and held = Σ deposits - Σ payments - Σ lockstep
//    - Σ pool claims (a reclaim only moves earmarked funds back to free ones);
// 2. no payment leaves a budget's period spent above its allowance;
// 3. Σ distributed (pools + lockstep) = Σ positive net of the closed months, after the carried loss;
// 4. a month closes once, a wrong lockstep is refused, and the next month to close only advances;
// 5. earmarked = Σ (pool amount - claimed) over the pools, and no pool pays out past its amount;
// 6. no departed member keeps a seat, so no pool closed after a departure counts them.
// 24 runs of 150 calls (about ten seconds) reach several closes per run, payments, claims and reclaims.
/// forge-config: default.invariant.runs = 24
/// forge-config: default.invariant.depth = 150
contract BooksInvariants is Assertions {
    BooksHandler internal handler;
    Books internal books;
    TestStablecoin internal usd;

    function setUp() public {
        vm.warp(1_750_000_000);
        handler = new BooksHandler();
        (address[] memory founders, uint64[] memory units) = handler.founders();
        Partnership firm = new Partnership(address(handler), 30 days, founders, units);
        books = new Books(
            IMemberSource(address(firm)),
            ISeatSource(address(firm.practices())),
            IClaimWindowSource(firm.revenueShare()),
            address(handler)
        );
        usd = new TestStablecoin();
        handler.init(firm, books, usd);
        vm.deal(address(handler), 1e30);
        vm.label(address(handler), "BooksHandler");
        vm.label(address(books), "Books");
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    function targetSelectors() public view returns (FuzzSelector[] memory targets) {
        bytes4[] memory selectors = new bytes4[](19);
        selectors[0] = BooksHandler.warp.selector;
        selectors[1] = BooksHandler.admit.selector;
        selectors[2] = BooksHandler.seat.selector;
        selectors[3] = BooksHandler.unseat.selector;
        selectors[4] = BooksHandler.changeLead.selector;
        selectors[5] = BooksHandler.remove.selector;
        selectors[6] = BooksHandler.depositEth.selector;
        selectors[7] = BooksHandler.depositUsd.selector;
        selectors[8] = BooksHandler.untaggedEth.selector;
        selectors[9] = BooksHandler.transferUsdAndSweep.selector;
        selectors[10] = BooksHandler.setBudget.selector;
        selectors[11] = BooksHandler.cutBudget.selector;
        selectors[12] = BooksHandler.revokeBudget.selector;
        selectors[13] = BooksHandler.pay.selector;
        selectors[14] = BooksHandler.payByProposal.selector;
        selectors[15] = BooksHandler.setProfitRule.selector;
        selectors[16] = BooksHandler.close.selector;
        selectors[17] = BooksHandler.claimPool.selector;
        selectors[18] = BooksHandler.reclaimPool.selector;
        targets = new FuzzSelector[](1);
        targets[0] = FuzzSelector({addr: address(handler), selectors: selectors});
    }

    // 1. balance = held = Σ in - Σ out.
    function invariant_balanceIsHeldAndHeldIsInLessOut() public view {
        address[2] memory tokens = [address(0), address(usd)];
        for (uint256 i = 0; i < 2; ++i) {
            address token = tokens[i];
            uint256 balance = token == address(0) ? address(books).balance : usd.balanceOf(address(books));
            assertEq(balance, books.held(token), "balance = held");
            assertEq(
                books.held(token),
                handler.deposited(token) - handler.paid(token) - handler.lockstepSent(token) - handler.poolClaims(token),
                "held = deposits - payments - lockstep - pool claims"
            );
        }
    }

    // 2. spent <= allowance at every payment.
    function invariant_noPaymentOverspendsItsAllowance() public view {
        assertFalse(handler.overspent(), "a payment left a period spent above its allowance");
    }

    // 3. Σ distributed = Σ positive net of closed months (<= is the issue's bound; the split is exact).
    function invariant_distributedIsThePositiveNetOfClosedMonths() public view {
        address[2] memory tokens = [address(0), address(usd)];
        for (uint256 i = 0; i < 2; ++i) {
            assertEq(handler.distributed(tokens[i]), handler.positiveNetClosed(tokens[i]), "distributed = positive net closed");
        }
    }

    // 4. Each month closes once, in order.
    function invariant_aMonthClosesOnceAndInOrder() public view {
        assertFalse(handler.closedTwice(), "a month closed twice or with a wrong lockstep");
        assertFalse(handler.closeWentBack(), "the next month to close went back");
    }

    // 5. earmarked = Σ unclaimed pool amounts; claims within each pool's amount.
    function invariant_earmarkedIsTheUnclaimedPools() public view {
        uint256 count = books.poolCount();
        uint256 unclaimedEth;
        uint256 unclaimedUsd;
        for (uint256 id = 1; id <= count; ++id) {
            (, address token, uint256 amount, uint256 claimed, , , ) = books.pool(id);
            assertLe(claimed, amount, "a pool never pays past its amount");
            if (token == address(0)) unclaimedEth += amount - claimed;
            else unclaimedUsd += amount - claimed;
        }
        assertEq(books.earmarked(address(0)), unclaimedEth, "ETH earmarked = unclaimed pools");
        assertEq(books.earmarked(address(usd)), unclaimedUsd, "USD earmarked = unclaimed pools");
        assertLe(books.earmarked(address(usd)), books.held(address(usd)), "pools are funded");
    }

    // 6. A departure empties every seat at once: no departed member is seated anywhere.
    function invariant_noDepartedMemberIsSeated() public view {
        Partnership firm = handler.firm();
        Practices practices = handler.practices();
        for (uint256 i = 0; i < handler.ACCOUNTS(); ++i) {
            address account = handler.accountAt(i);
            (, IPartnership.MemberStatus status, , , , ) = firm.memberOf(account);
            if (status != IPartnership.MemberStatus.Retired && status != IPartnership.MemberStatus.Removed) continue;
            (IPartnership.PracticeRole inNet, ) = practices.seatOf(keccak256("net"), account);
            (IPartnership.PracticeRole inSec, ) = practices.seatOf(keccak256("sec"), account);
            assertTrue(inNet == IPartnership.PracticeRole.None && inSec == IPartnership.PracticeRole.None, "a departed member is seated");
        }
    }
}
