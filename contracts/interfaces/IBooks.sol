// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title The firm's books: types, events and errors
/// @notice Shared by {Books}, its callers and the indexer that rebuilds the books from these events.
/// Periods are calendar months in UTC, written `yyyymm` (202611 is November 2026). The firm itself
/// (shared costs, unattributed revenue) is practice id 0, written as the empty slug.
interface IBooks {
    /// @notice How often a budget's allowance renews: each calendar month, or each calendar quarter.
    enum Cadence {
        Monthly,
        Quarterly
    }

    /// @notice What a budget allows now, as returned by {Books-budgetOf}.
    struct BudgetView {
        uint256 budgetId;
        address token;
        uint256 amount;
        Cadence cadence;
        bool rollover;
        bool revoked;
        /// The current budget period: `yyyymm` of its first month.
        uint32 period;
        /// This period's allowance: `amount`, plus last period's unspent amount when it rolls over.
        uint256 allowance;
        uint256 spent;
        uint256 remaining;
    }

    /// @notice A token may (or may no longer) be deposited. ETH (the zero address) is always allowed.
    event TokenAllowed(address indexed token, bool allowed);
    /// @notice Money arrived. `practiceId` 0 is unattributed (an untagged transfer, or a sweep).
    /// `repeatedReference` flags a reference already used by an earlier deposit: the money is kept and
    /// counted, and the books show the repeat for someone to refund or explain.
    event Deposited(
        bytes32 indexed practiceId,
        address indexed token,
        address indexed from,
        uint256 amount,
        string ref,
        uint32 month,
        bool repeatedReference
    );
    /// @notice Money left under a budget (`budgetId` not 0, paid by `spender`), or by proposal
    /// (`budgetId` 0, `spender` the timelock). `practiceId` 0 is a firm cost.
    event Paid(
        uint256 indexed budgetId,
        bytes32 indexed practiceId,
        address indexed payee,
        address token,
        uint256 amount,
        address spender,
        string ref,
        string memo,
        uint32 month
    );
    /// @notice Governance approved a budget for a practice (0: the firm), replacing any earlier one.
    event BudgetSet(
        uint256 indexed budgetId,
        bytes32 indexed practiceId,
        address token,
        uint256 amount,
        Cadence cadence,
        bool rollover,
        address[] spenders
    );
    /// @notice Governance lowered a budget's amount; payments already made stand.
    event BudgetCut(uint256 indexed budgetId, uint256 previousAmount, uint256 newAmount);
    /// @notice Governance revoked a budget; payments already made stand.
    event BudgetRevoked(uint256 indexed budgetId);
    /// @notice The profit rule for periods closed from now on.
    event ProfitRuleSet(uint16 practiceShareBps, uint8 leadWeight, uint8 memberWeight, uint8 technicianWeight);
    /// @notice A month's books in `token` were closed. `net` is the firm's net after the loss carried
    /// in; `toPractices` went to practice pools, `lockstep` to the timelock for a pro-rata distribution;
    /// `carriedLoss` is the loss carried into the next month (never distributed).
    event PeriodClosed(
        uint32 indexed month,
        address indexed token,
        int256 net,
        uint256 toPractices,
        uint256 lockstep,
        uint256 carriedLoss
    );
    /// @notice A practice's share of a closed month, claimable by its members weighted by their seat
    /// role at `timepoint`.
    event PoolCreated(
        uint256 indexed poolId,
        uint32 indexed month,
        bytes32 indexed practiceId,
        address token,
        uint256 amount,
        uint256 totalWeight,
        uint48 timepoint,
        uint48 claimDeadline
    );
    /// @notice `member` claimed their share of a pool.
    event PoolClaimed(uint256 indexed poolId, address indexed member, uint256 amount);
    /// @notice What was not claimed by the deadline went back to the firm's unattributed revenue of
    /// `month` (the month of the reclaim), so a later close shares it again.
    event PoolReclaimed(uint256 indexed poolId, uint256 amount, uint32 month);

    /// @notice Only the governance timelock may call this.
    error BooksUnauthorized(address caller);
    /// @notice The token is not on the allow-list; governance adds it with {Books-allowToken}.
    error BooksTokenNotAllowed(address token);
    /// @notice No active practice has this slug (the empty slug is the firm).
    error BooksUnknownPractice(string slug);
    /// @notice The amount is zero, too large (over 96 bits), or does not match the ETH sent.
    error BooksInvalidAmount(uint256 amount);
    /// @notice A reference must be at most 64 bytes, a memo at most 140.
    error BooksTextTooLong(uint256 length, uint256 max);
    /// @notice A budget needs a non-zero amount and at most 16 named spenders, each an active member.
    error BooksInvalidBudget();
    /// @notice The practice (0: the firm) has no budget in force.
    error BooksNoBudget(bytes32 practiceId);
    /// @notice `caller` may not spend this budget: not the practice's lead, not a named spender, or
    /// no longer an active member seated in the practice.
    error BooksNotSpender(address caller, bytes32 practiceId);
    /// @notice The payment exceeds what is left of this period's allowance.
    error BooksOverBudget(uint256 amount, uint256 remaining);
    /// @notice The treasury's free funds (not set aside for claims) cannot cover the payment.
    error BooksInsufficientFunds(address token, uint256 amount, uint256 free);
    /// @notice A payment to the zero address, or to the books themselves.
    error BooksInvalidPayee(address payee);
    /// @notice The profit rule needs a share in basis points (≤ 10,000) and a positive lead weight.
    error BooksInvalidRule();
    /// @notice Months close in order, once each, after they end: `expected` is the next to close.
    error BooksCannotClose(uint32 month, uint32 expected);
    /// @notice The close would send `actual` to the lockstep distribution, not the `expected` that
    /// the proposal was written for.
    error BooksCloseMismatch(uint256 expected, uint256 actual);
    /// @notice No such pool.
    error BooksUnknownPool(uint256 poolId);
    /// @notice The pool's claim window closed at `deadline`.
    error BooksClaimClosed(uint256 poolId, uint48 deadline);
    /// @notice The pool's claim window is still open until `deadline`.
    error BooksClaimOpen(uint256 poolId, uint48 deadline);
    /// @notice `member` already claimed this pool.
    error BooksAlreadyClaimed(uint256 poolId, address member);
    /// @notice `member` has nothing to claim from this pool.
    error BooksNothingToClaim(uint256 poolId, address member);
    /// @notice Sending ETH to `to` failed.
    error BooksPaymentFailed(address to, uint256 amount);
}
