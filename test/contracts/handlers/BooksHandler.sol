// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Books} from "../../../contracts/Books.sol";
import {Partnership} from "../../../contracts/Partnership.sol";
import {Practices} from "../../../contracts/Practices.sol";
import {TestStablecoin} from "../../../contracts/mocks/TestStablecoin.sol";
import {IBooks} from "../../../contracts/interfaces/IBooks.sol";
import {IPartnership} from "../../../contracts/interfaces/IPartnership.sol";
import {bound} from "../utils/Assertions.sol";
import {vm} from "../utils/Vm.sol";

// The actor of the books' invariant campaign (BooksInvariants.sol): a random walk over deposits in
// ETH and a test stablecoin (tagged, untagged and swept), budgets set, cut and revoked, payments by
// leads, spenders and strangers, payments by proposal, seat changes and departures, profit rules,
// closes, pool claims and reclaims.
//
// It is the timelock of the partnership, its practices and the books, so it makes governance calls
// directly, and it receives the lockstep share. Every call is made in try/catch so that no step
// reverts; what went through is added to the ghost totals the invariants compare the books against.
contract BooksHandler {
    /// Eight accounts: three founding partners, five others admitted (or not) along the walk.
    uint256 public constant ACCOUNTS = 8;

    Partnership public firm;
    Practices public practices;
    Books public books;
    TestStablecoin public usd;

    mapping(address token => uint256) public deposited;
    mapping(address token => uint256) public paid;
    mapping(address token => uint256) public lockstepSent;
    mapping(address token => uint256) public poolClaims;
    /// Σ of the positive nets (after the carried loss) of every month closed, and Σ handed out by them.
    mapping(address token => uint256) public positiveNetClosed;
    mapping(address token => uint256) public distributed;
    /// Set when a payment left a budget's period spent above its allowance, or a month closed twice,
    /// or the next month to close went back, or a pool paid past its amount.
    bool public overspent;
    bool public closedTwice;
    bool public closeWentBack;
    uint256 public closes;
    uint256 public claims;
    uint256 public reclaims;
    uint256 public payments;

    function accountAt(uint256 i) public pure returns (address) {
        return address(uint160(uint256(keccak256(abi.encode("books actor", i % ACCOUNTS)))));
    }

    function tokenAt(uint256 seed) public view returns (address) {
        return seed % 2 == 0 ? address(0) : address(usd);
    }

    function slugAt(uint256 seed) public pure returns (string memory) {
        uint256 i = seed % 3;
        return i == 0 ? "" : i == 1 ? "net" : "sec";
    }

    function founders() external pure returns (address[] memory accounts, uint64[] memory units) {
        accounts = new address[](3);
        units = new uint64[](3);
        for (uint256 i = 0; i < 3; ++i) {
            accounts[i] = accountAt(i);
            units[i] = 100;
        }
    }

    function init(Partnership firm_, Books books_, TestStablecoin usd_) external {
        firm = firm_;
        practices = firm_.practices();
        books = books_;
        usd = usd_;
        books.allowToken(address(usd), true);
        practices.createPractice("net", "Networking", accountAt(0));
        practices.createPractice("sec", "Security", accountAt(1));
        practices.setPracticeMember("net", accountAt(2), IPartnership.PracticeRole.Member);
    }

    /// The lockstep share and reclaimed distributions arrive here.
    receive() external payable {}

    // ------------------------------------------------------------------------------------------
    // Time and seats
    // ------------------------------------------------------------------------------------------

    function warp(uint256 seed) external {
        // Up to 25 days: months end, closes come round and claim windows (30 days) lapse within a walk.
        vm.warp(block.timestamp + bound(seed, 2 days, 25 days));
    }

    function admit(uint256 accountSeed, uint256 slugSeed, uint256 roleSeed) external {
        IPartnership.PracticeRole role = IPartnership.PracticeRole(2 + (roleSeed % 2));
        string memory slug = slugAt(slugSeed);
        try firm.admit(accountAt(accountSeed), IPartnership.Role.Associate, slug, role, IPartnership.GrantTerms(0, 0, 0, 0)) {} catch {}
    }

    function seat(uint256 accountSeed, uint256 slugSeed, uint256 roleSeed) external {
        IPartnership.PracticeRole role = IPartnership.PracticeRole(2 + (roleSeed % 2));
        try practices.setPracticeMember(slugAt(slugSeed), accountAt(accountSeed), role) {} catch {}
    }

    function unseat(uint256 accountSeed, uint256 slugSeed) external {
        try practices.removePracticeMember(slugAt(slugSeed), accountAt(accountSeed)) {} catch {}
    }

    function changeLead(uint256 accountSeed, uint256 slugSeed) external {
        try practices.changePracticeLead(slugAt(slugSeed), accountAt(accountSeed)) {} catch {}
    }

    function remove(uint256 accountSeed) external {
        try firm.remove(accountAt(accountSeed)) {} catch {}
    }

    // ------------------------------------------------------------------------------------------
    // Money in
    // ------------------------------------------------------------------------------------------

    function depositEth(uint256 slugSeed, uint256 amountSeed, uint256 refSeed) external {
        uint256 amount = bound(amountSeed, 1, 100 ether);
        try books.deposit{value: amount}(slugAt(slugSeed), _ref(refSeed)) {
            deposited[address(0)] += amount;
        } catch {}
    }

    function depositUsd(uint256 slugSeed, uint256 amountSeed, uint256 refSeed) external {
        uint256 amount = bound(amountSeed, 1, 1e12);
        usd.mint(address(this), amount);
        usd.approve(address(books), amount);
        try books.depositToken(address(usd), amount, slugAt(slugSeed), _ref(refSeed)) {
            deposited[address(usd)] += amount;
        } catch {}
    }

    function untaggedEth(uint256 amountSeed) external {
        uint256 amount = bound(amountSeed, 1, 10 ether);
        (bool ok, ) = address(books).call{value: amount}("");
        if (ok) deposited[address(0)] += amount;
    }

    function transferUsdAndSweep(uint256 amountSeed) external {
        uint256 amount = bound(amountSeed, 1, 1e11);
        usd.mint(address(books), amount);
        try books.sweep(address(usd)) returns (uint256 swept) {
            deposited[address(usd)] += swept;
        } catch {}
    }

    // ------------------------------------------------------------------------------------------
    // Budgets and payments
    // ------------------------------------------------------------------------------------------

    function setBudget(uint256 slugSeed, uint256 tokenSeed, uint256 amountSeed, bool quarterly, bool rollover, uint256 spenderSeed) external {
        address token = tokenAt(tokenSeed);
        uint256 amount = token == address(0) ? bound(amountSeed, 1, 50 ether) : bound(amountSeed, 1, 5e11);
        address[] memory spenders = new address[](1);
        // A founder, who is a member unless removed, so that most budgets are set.
        spenders[0] = accountAt(spenderSeed % 3);
        IBooks.Cadence cadence = quarterly ? IBooks.Cadence.Quarterly : IBooks.Cadence.Monthly;
        try books.setBudget(slugAt(slugSeed), token, amount, cadence, rollover, spenders) {} catch {}
    }

    function cutBudget(uint256 slugSeed, uint256 amountSeed) external {
        try books.cutBudget(slugAt(slugSeed), bound(amountSeed, 1, 50 ether)) {} catch {}
    }

    function revokeBudget(uint256 slugSeed) external {
        try books.revokeBudget(slugAt(slugSeed)) {} catch {}
    }

    function pay(uint256 slugSeed, uint256 callerSeed, uint256 payeeSeed, uint256 amountSeed, uint256 refSeed) external {
        string memory slug = slugAt(slugSeed);
        IBooks.BudgetView memory before = books.budgetOf(slug);
        uint256 free = books.held(before.token) - books.earmarked(before.token);
        uint256 cap = before.amount < free ? before.amount : free;
        uint256 amount = bound(amountSeed, 1, cap == 0 ? 1 : cap);
        // Half the time the practice's lead or a founder (every named spender is one), so that
        // payments go through; otherwise anyone at all.
        address caller = accountAt(callerSeed);
        if (callerSeed % 2 == 0) caller = accountAt(callerSeed % 3);
        if (callerSeed % 4 == 0 && bytes(slug).length != 0) (, , caller, , , ) = practices.practice(slug);
        vm.prank(caller);
        try books.pay(slug, accountAt(payeeSeed), amount, _ref(refSeed), "") {
            paid[before.token] += amount;
            ++payments;
            IBooks.BudgetView memory afterwards = books.budgetOf(slug);
            if (afterwards.spent > afterwards.allowance) overspent = true;
            if (afterwards.spent != before.spent + amount && afterwards.period == before.period) overspent = true;
        } catch {}
    }

    function payByProposal(uint256 slugSeed, uint256 tokenSeed, uint256 amountSeed) external {
        address token = tokenAt(tokenSeed);
        uint256 free = books.held(token) - books.earmarked(token);
        if (free == 0) return;
        uint256 amount = bound(amountSeed, 1, free);
        try books.payByProposal(slugAt(slugSeed), token, accountAt(amountSeed), amount, "", "") {
            paid[token] += amount;
        } catch {}
    }

    function setProfitRule(uint256 bpsSeed, uint8 member, uint8 technician) external {
        try books.setProfitRule(uint16(bound(bpsSeed, 0, 10_000)), 3, member % 4, technician % 3) {} catch {}
    }

    // ------------------------------------------------------------------------------------------
    // Closes and pools
    // ------------------------------------------------------------------------------------------

    function close(uint256 tokenSeed, uint256 wrongSeed) external {
        address token = tokenAt(tokenSeed);
        uint32 month = books.nextMonthToClose(token);
        if (month == 0) return;
        (int256 net, uint256 toPractices, uint256 lockstep, , ) = books.previewClose(month, token);
        // Now and then state a wrong lockstep: the close must refuse it.
        uint256 stated = wrongSeed % 5 == 0 ? lockstep + 1 : lockstep;
        try books.closePeriod(month, token, stated) {
            if (stated != lockstep) closedTwice = true;
            if (books.nextMonthToClose(token) <= month) closeWentBack = true;
            ++closes;
            lockstepSent[token] += lockstep;
            distributed[token] += toPractices + lockstep;
            if (net > 0) positiveNetClosed[token] += uint256(net);
            // The month just closed cannot close again.
            try books.closePeriod(month, token, 0) {
                closedTwice = true;
            } catch {}
        } catch {}
    }

    /// Claims pool `poolSeed` for the accounts from `accountSeed` on (seated or not, claimed or not).
    function claimPool(uint256 poolSeed, uint256 accountSeed) external {
        uint256 count = books.poolCount();
        if (count == 0) return;
        uint256 poolId = 1 + (poolSeed % count);
        (, address token, , , , , ) = books.pool(poolId);
        for (uint256 i = accountSeed % ACCOUNTS; i < ACCOUNTS; ++i) {
            try books.claimPoolFor(poolId, accountAt(i)) returns (uint256 share) {
                poolClaims[token] += share;
                ++claims;
            } catch {}
        }
    }

    function reclaimPool(uint256 poolSeed) external {
        uint256 count = books.poolCount();
        if (count == 0) return;
        try books.reclaimPool(1 + (poolSeed % count)) {
            ++reclaims;
        } catch {}
    }

    /// A few references, so that repeats (flagged on deposits, refused on payments) happen.
    function _ref(uint256 seed) private pure returns (string memory) {
        uint256 i = seed % 6;
        if (i == 0) return "";
        return string(abi.encodePacked("INV-", bytes1(uint8(0x30 + i))));
    }
}
