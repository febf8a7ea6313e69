// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IBooks} from "./interfaces/IBooks.sol";
import {IMemberSource} from "./interfaces/IMemberSource.sol";
import {IPartnership} from "./interfaces/IPartnership.sol";
import {IPractices} from "./interfaces/IPractices.sol";
import {ISeatSource} from "./interfaces/ISeatSource.sol";

/// @notice The claim window that {RevenueShare} applies, which the books' practice pools share.
interface IClaimWindowSource {
    /// @notice How long a distribution stays claimable, in seconds.
    function claimWindow() external view returns (uint48);
}

/// @title Books: the firm's operating account, with revenue by practice, budgets, and the monthly split
/// @notice Clients pay in tagged with a practice and an invoice reference. Within a budget that a vote
/// approved, a practice's lead (or a spender the vote named) pays bills with no vote. Each month, one
/// proposal closes the books: the profit rule gives a share of each practice's net to that practice's
/// members, weighted by seat role ("eat what you kill"), and sends the rest to the timelock for a
/// pro-rata distribution through {RevenueShare} ("lockstep"). A loss carries forward; it is never shared.
/// @dev Nothing here loops over members or history: a close loops over the practices that moved money
/// that month (bounded by the practices governance created), and a claim reads two checkpoints.
contract Books is IBooks, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice The longest reference (an invoice number), in bytes.
    uint256 public constant MAX_REFERENCE_BYTES = 64;
    /// @notice The longest memo, in bytes: a tweet's length, enough for a bank statement line.
    uint256 public constant MAX_MEMO_BYTES = 140;
    /// @notice The most spenders a budget names besides the lead; it bounds {setBudget}'s loop.
    uint256 public constant MAX_SPENDERS = 16;
    /// @notice Basis points in one whole.
    uint16 public constant BPS = 10_000;

    /// @notice Where member statuses come from (a named spender must still be a member).
    IMemberSource public immutable partnership;
    /// @notice Where practices, leads and seat roles over time come from.
    ISeatSource public immutable practices;
    /// @notice Whose claim window the practice pools share.
    IClaimWindowSource public immutable revenueShare;
    /// @notice The governance timelock: the only account that allows tokens, sets budgets and rules,
    /// pays outside a budget and closes months. It receives the lockstep share.
    address public immutable governance;

    /// @dev Two slots, both read by a payment: token 160 | amount 96 ; cadence 8 | rollover 8 |
    /// revoked 8 | startPeriod 32 | id 64. Kept by practice, so a payment finds it with no id lookup.
    struct Budget {
        address token;
        uint96 amount;
        Cadence cadence;
        bool rollover;
        bool revoked;
        uint32 startPeriod;
        uint64 id;
    }

    /// @dev One slot per token, read and written once by a payment, a deposit and a claim:
    /// held 104 | earmarked 104 | nextClose 32 | allowed 8. 104 bits hold 2e31 base units, ten
    /// trillion ETH; a deposit that would pass it is refused.
    struct Treasury {
        uint104 held;
        uint104 earmarked;
        uint32 nextClose;
        bool allowed;
    }

    /// @dev One slot per practice, month and token.
    struct Flow {
        uint128 revenue;
        uint128 expenses;
    }

    /// @dev Three slots, all read by a claim: token 160 | timepoint 48 | deadline 48 ;
    /// amount 96 | claimed 96 | totalWeight 32 | lead 8 | member 8 | technician 8 ; practiceId.
    struct Pool {
        address token;
        uint48 timepoint;
        uint48 deadline;
        uint96 amount;
        uint96 claimed;
        uint32 totalWeight;
        uint8 leadWeight;
        uint8 memberWeight;
        uint8 technicianWeight;
        bytes32 practiceId;
    }

    /// @dev One slot: practice share 16 | lead 8 | member 8 | technician 8.
    struct ProfitRule {
        uint16 practiceShareBps;
        uint8 leadWeight;
        uint8 memberWeight;
        uint8 technicianWeight;
    }

    ProfitRule private _rule;
    /// @notice How many budgets were ever set; the latest id.
    uint256 public budgetCount;
    /// @notice How many practice pools were ever created; the latest id.
    uint256 public poolCount;

    /// @notice The loss carried into the next month to close, per token.
    mapping(address token => uint256) public carriedLoss;

    /// @dev Per token; `nextClose` is the `yyyymm` of the next month to close, 0 until the token first moves.
    mapping(address token => Treasury) private _treasury;
    /// @dev The budget in force (or last revoked) per practice; 0 is the firm.
    mapping(bytes32 practiceId => Budget) private _budgetIn;
    mapping(uint256 budgetId => mapping(address account => bool)) private _namedSpender;
    mapping(uint256 budgetId => mapping(uint32 period => uint256)) private _spent;

    mapping(uint32 month => mapping(bytes32 practiceId => mapping(address token => Flow))) private _flows;
    /// @dev The practices that moved `token` in `month`, in order of first movement: what a close visits.
    mapping(uint32 month => mapping(address token => bytes32[])) private _touched;

    mapping(bytes32 referenceHash => bool) private _depositReferenceUsed;

    mapping(uint256 poolId => Pool) private _pools;
    mapping(uint256 poolId => mapping(address member => bool)) private _poolClaimed;

    modifier onlyGovernance() {
        if (msg.sender != governance) revert BooksUnauthorized(msg.sender);
        _;
    }

    constructor(IMemberSource partnership_, ISeatSource practices_, IClaimWindowSource revenueShare_, address governance_) {
        partnership = partnership_;
        practices = practices_;
        revenueShare = revenueShare_;
        governance = governance_;
        // Documented defaults: half of each practice's net to its members, weighted lead 3, member 2,
        // technician 1; the other half, and the firm's own net, lockstep to all equity.
        _setProfitRule(5_000, 3, 2, 1);
    }

    // ==========================================================================================
    // Money in
    // ==========================================================================================

    /// @notice An untagged ETH payment: counted as unattributed revenue.
    // An untagged payment must still reach the books, so this receive does the bookkeeping.
    // solhint-disable-next-line no-complex-fallback
    receive() external payable {
        if (msg.value == 0) revert BooksInvalidAmount(0);
        _deposit(bytes32(0), address(0), msg.sender, msg.value, "");
    }

    /// @notice Pays ETH to the firm for practice `slug` (empty: unattributed) against `ref`.
    function deposit(string calldata slug, string calldata ref) external payable nonReentrant {
        if (msg.value == 0) revert BooksInvalidAmount(0);
        _deposit(_activePracticeIdOf(slug), address(0), msg.sender, msg.value, ref);
    }

    /// @notice Pulls `amount` of an allowed ERC-20 (approve first) for practice `slug` against
    /// `ref`. The amount recorded is what arrived, so a fee-on-transfer token counts its net.
    function depositToken(
        address token,
        uint256 amount,
        string calldata slug,
        string calldata ref
    ) external nonReentrant {
        if (!_treasury[token].allowed) revert BooksTokenNotAllowed(token);
        if (amount == 0 || amount > type(uint96).max) revert BooksInvalidAmount(amount);
        bytes32 practiceId = _activePracticeIdOf(slug);
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
        uint256 arrived = IERC20(token).balanceOf(address(this)) - before;
        if (arrived == 0) revert BooksInvalidAmount(0);
        _deposit(practiceId, token, msg.sender, arrived, ref);
    }

    /// @notice Counts what reached the books without a deposit call (a plain ERC-20 transfer, or ETH
    /// forced in) as unattributed revenue. Anyone may call it.
    function sweep(address token) external nonReentrant returns (uint256 amount) {
        uint256 heldNow = _treasury[token].held;
        if (token != address(0) && !_treasury[token].allowed) revert BooksTokenNotAllowed(token);
        uint256 balance = token == address(0) ? address(this).balance : IERC20(token).balanceOf(address(this));
        if (balance <= heldNow) revert BooksInvalidAmount(0);
        amount = balance - heldNow;
        _deposit(bytes32(0), token, address(0), amount, "");
    }

    // ==========================================================================================
    // Money out
    // ==========================================================================================

    /// @notice Pays `payee` from practice `slug`'s budget (the empty slug: the firm's), with no vote.
    /// @dev Emits {Paid}. Requirements: a budget is in force; the caller is the practice's lead or a
    /// named spender still active and seated; the amount fits this period's remaining allowance and the
    /// free funds. A reference already paid to the same payee is not refused here: the mirror flags the
    /// repeat and `firm pay` refuses it before sending (see the README: a check on chain would cost a
    /// fresh storage slot per payment and could not stop a spender who simply changes the reference).
    function pay(
        string calldata slug,
        address payee,
        uint256 amount,
        string calldata ref,
        string calldata memo
    ) external nonReentrant {
        (bytes32 practiceId, address lead, IPractices.PracticeStatus status) = _practiceOf(slug);
        Budget memory b = _budgetIn[practiceId];
        if (b.id == 0 || b.revoked) revert BooksNoBudget(practiceId);
        if (!_maySpend(b.id, practiceId, lead, status, msg.sender)) revert BooksNotSpender(msg.sender, practiceId);
        uint32 month = monthOf(block.timestamp);
        _charge(b, amount, month);
        _pay(b.id, practiceId, b.token, payee, amount, ref, memo, month);
    }

    /// @notice Pays `payee` by proposal, outside any budget, recorded against practice `slug` (empty:
    /// a firm cost). The proposal executing it is its authority.
    function payByProposal(
        string calldata slug,
        address token,
        address payee,
        uint256 amount,
        string calldata ref,
        string calldata memo
    ) external onlyGovernance nonReentrant {
        _pay(0, _practiceIdOf(slug), token, payee, amount, ref, memo, monthOf(block.timestamp));
    }

    // ==========================================================================================
    // Governance: tokens, budgets, the profit rule
    // ==========================================================================================

    /// @notice Allows (or stops allowing) deposits of an ERC-20. Funds already held stay accounted.
    function allowToken(address token, bool allowed) external onlyGovernance {
        if (token == address(0)) revert BooksTokenNotAllowed(token);
        _treasury[token].allowed = allowed;
        emit TokenAllowed(token, allowed);
    }

    /// @notice Approves a budget for practice `slug` (empty: the firm's shared costs), replacing any
    /// budget in force: `amount` of `token` each month or quarter, spendable by the practice's lead and
    /// the named `spenders`. With `rollover`, last period's unspent allowance (at most one period's
    /// amount) adds to this one.
    function setBudget(
        string calldata slug,
        address token,
        uint256 amount,
        Cadence cadence,
        bool rollover,
        address[] calldata spenders
    ) external onlyGovernance returns (uint256 budgetId) {
        bytes32 practiceId = _activePracticeIdOf(slug);
        if (token != address(0) && !_treasury[token].allowed) revert BooksTokenNotAllowed(token);
        if (amount == 0 || amount > type(uint96).max || spenders.length > MAX_SPENDERS) revert BooksInvalidBudget();
        budgetId = ++budgetCount;
        _budgetIn[practiceId] = Budget({
            token: token,
            amount: uint96(amount),
            cadence: cadence,
            rollover: rollover,
            revoked: false,
            startPeriod: _periodOf(cadence, monthOf(block.timestamp)),
            id: uint64(budgetId)
        });
        for (uint256 i = 0; i < spenders.length; ++i) {
            (, IPartnership.MemberStatus status, , , , ) = partnership.memberOf(spenders[i]);
            if (status != IPartnership.MemberStatus.Active && status != IPartnership.MemberStatus.OnLeave) {
                revert BooksInvalidBudget();
            }
            _namedSpender[budgetId][spenders[i]] = true;
        }
        emit BudgetSet(budgetId, practiceId, token, amount, cadence, rollover, spenders);
    }

    /// @notice Lowers the budget in force for practice `slug` to `newAmount` (this period included).
    function cutBudget(string calldata slug, uint256 newAmount) external onlyGovernance {
        Budget storage b = _budgetInForce(slug);
        if (newAmount == 0 || newAmount >= b.amount) revert BooksInvalidBudget();
        emit BudgetCut(b.id, b.amount, newAmount);
        b.amount = uint96(newAmount);
    }

    /// @notice Revokes the budget in force for practice `slug`: no further payment under it.
    function revokeBudget(string calldata slug) external onlyGovernance {
        Budget storage b = _budgetInForce(slug);
        b.revoked = true;
        emit BudgetRevoked(b.id);
    }

    /// @notice Sets the profit rule for months closed from now on: `practiceShareBps` of each practice's
    /// positive net goes to its members, weighted by seat role; the rest is lockstep.
    function setProfitRule(
        uint16 practiceShareBps,
        uint8 leadWeight,
        uint8 memberWeight,
        uint8 technicianWeight
    ) external onlyGovernance {
        _setProfitRule(practiceShareBps, leadWeight, memberWeight, technicianWeight);
    }

    // ==========================================================================================
    // Closing a month
    // ==========================================================================================

    /// @notice Closes month `month` (`yyyymm`) in `token`: creates a pool per practice with a positive
    /// net, sends the lockstep rest to the timelock, and carries a loss forward.
    /// @dev The proposal that calls this states the lockstep amount it expects (see {previewClose}) and
    /// then hands that amount to {RevenueShare-createDistribution}; a mismatch reverts the whole
    /// proposal rather than distribute something the partners did not vote for.
    /// Requirements: caller is the timelock; `month` is the next month to close in `token` and has ended;
    /// the free funds cover what is distributed.
    function closePeriod(uint32 month, address token, uint256 expectedLockstep) external onlyGovernance nonReentrant {
        uint32 expected = _treasury[token].nextClose;
        if (expected == 0 || month != expected || month >= monthOf(block.timestamp)) {
            revert BooksCannotClose(month, expected);
        }
        _treasury[token].nextClose = addMonths(month, 1);
        (int256 net, uint256 toPractices, uint256 lockstep, bytes32[] memory ids, uint256[] memory amounts) =
            _split(month, token);
        if (lockstep != expectedLockstep) revert BooksCloseMismatch(expectedLockstep, lockstep);
        _settle(month, token, net, toPractices, lockstep);
        _createPools(month, token, ids, amounts);
        if (lockstep != 0) _transfer(token, governance, lockstep);
    }

    /// @dev Sets the close's outflow aside from the free funds and carries a loss forward.
    function _settle(uint32 month, address token, int256 net, uint256 toPractices, uint256 lockstep) private {
        Treasury storage t = _treasury[token];
        uint256 free = t.held - t.earmarked;
        if (toPractices + lockstep > free) revert BooksInsufficientFunds(token, toPractices + lockstep, free);
        uint256 loss = net < 0 ? uint256(-net) : 0;
        carriedLoss[token] = loss;
        // Both fit: together they are at most the free funds, which are below `held`.
        t.earmarked += uint104(toPractices);
        t.held -= uint104(lockstep);
        emit PeriodClosed(month, token, net, toPractices, lockstep, loss);
    }

    /// @dev One pool per practice with a share, its weights frozen at the close.
    function _createPools(uint32 month, address token, bytes32[] memory ids, uint256[] memory amounts) private {
        ProfitRule memory rule = _rule;
        uint48 deadline = uint48(block.timestamp) + revenueShare.claimWindow();
        uint48 timepoint = _weightTimepoint();
        for (uint256 i = 0; i < ids.length; ++i) {
            if (amounts[i] == 0) continue;
            (uint256 leads, uint256 members, uint256 technicians) = practices.roleCountsAt(ids[i], timepoint);
            uint256 poolId = ++poolCount;
            uint256 totalWeight = leads * rule.leadWeight + members * rule.memberWeight + technicians * rule.technicianWeight;
            _pools[poolId] = Pool({
                token: token,
                timepoint: timepoint,
                deadline: deadline,
                amount: uint96(amounts[i]),
                claimed: 0,
                totalWeight: uint32(totalWeight),
                leadWeight: rule.leadWeight,
                memberWeight: rule.memberWeight,
                technicianWeight: rule.technicianWeight,
                practiceId: ids[i]
            });
            emit PoolCreated(poolId, month, ids[i], token, amounts[i], totalWeight, timepoint, deadline);
        }
    }

    /// @notice Claims the caller's share of practice pool `poolId`.
    function claimPool(uint256 poolId) external returns (uint256) {
        return _claimPool(poolId, msg.sender);
    }

    /// @notice Pays `member` their share of pool `poolId`; anyone may call it, the funds go to the member.
    function claimPoolFor(uint256 poolId, address member) external returns (uint256) {
        return _claimPool(poolId, member);
    }

    /// @notice After the claim window, returns a pool's unclaimed rest to the firm's unattributed
    /// revenue of this month, so the next close shares it again. Anyone may call it.
    function reclaimPool(uint256 poolId) external nonReentrant returns (uint256 rest) {
        Pool storage p = _pools[poolId];
        if (p.timepoint == 0) revert BooksUnknownPool(poolId);
        if (block.timestamp <= p.deadline) revert BooksClaimOpen(poolId, p.deadline);
        rest = p.amount - p.claimed;
        if (rest == 0) revert BooksNothingToClaim(poolId, address(this));
        p.claimed = p.amount;
        address token = p.token;
        _treasury[token].earmarked -= uint104(rest);
        uint32 month = monthOf(block.timestamp);
        _record(month, bytes32(0), token, rest, 0);
        emit PoolReclaimed(poolId, rest, month);
    }

    // ==========================================================================================
    // Views
    // ==========================================================================================

    /// @notice The profit rule in force.
    function profitRule()
        external
        view
        returns (uint16 practiceShareBps, uint8 leadWeight, uint8 memberWeight, uint8 technicianWeight)
    {
        ProfitRule memory r = _rule;
        return (r.practiceShareBps, r.leadWeight, r.memberWeight, r.technicianWeight);
    }

    /// @notice Whether an ERC-20 may be deposited (ETH always may).
    function tokenAllowed(address token) external view returns (bool) {
        return _treasury[token].allowed;
    }

    /// @notice Every unit of `token` the books account for: free funds plus what pools set aside.
    function held(address token) external view returns (uint256) {
        return _treasury[token].held;
    }

    /// @notice What closed months set aside for practice pools and is not yet claimed or reclaimed.
    function earmarked(address token) external view returns (uint256) {
        return _treasury[token].earmarked;
    }

    /// @notice The budget of practice `slug` (empty: the firm) and what it allows in the current period.
    function budgetOf(string calldata slug) external view returns (BudgetView memory v) {
        Budget memory b = _budgetIn[_practiceIdOf(slug)];
        uint256 budgetId = b.id;
        if (budgetId == 0) return v;
        uint32 period = _periodOf(b.cadence, monthOf(block.timestamp));
        v.budgetId = budgetId;
        v.token = b.token;
        v.amount = b.amount;
        v.cadence = b.cadence;
        v.rollover = b.rollover;
        v.revoked = b.revoked;
        v.period = period;
        v.allowance = b.revoked ? 0 : _allowance(budgetId, b, period);
        v.spent = _spent[budgetId][period];
        v.remaining = v.allowance > v.spent ? v.allowance - v.spent : 0;
    }

    /// @notice What budget `budgetId` spent in the period starting at month `period` (`yyyymm`).
    function spentIn(uint256 budgetId, uint32 period) external view returns (uint256) {
        return _spent[budgetId][period];
    }

    /// @notice Whether `account` may spend the budget of practice `slug` now.
    function isSpender(string calldata slug, address account) external view returns (bool) {
        (bytes32 practiceId, address lead, IPractices.PracticeStatus status) = _practiceOf(slug);
        Budget memory b = _budgetIn[practiceId];
        return b.id != 0 && !b.revoked && _maySpend(b.id, practiceId, lead, status, account);
    }

    /// @notice Revenue and expenses of practice `practiceId` (0: the firm) in `month`, in `token`.
    function flowOf(uint32 month, bytes32 practiceId, address token) external view returns (uint256 revenue, uint256 expenses) {
        Flow memory f = _flows[month][practiceId][token];
        return (f.revenue, f.expenses);
    }

    /// @notice The next month to close in `token` (`yyyymm`; 0 before the token first moved).
    function nextMonthToClose(address token) external view returns (uint32) {
        return _treasury[token].nextClose;
    }

    /// @notice What closing `month` in `token` would do now under the current rule: the firm's net,
    /// what goes to practice pools (per practice), and the lockstep rest a close proposal must state.
    function previewClose(
        uint32 month,
        address token
    )
        external
        view
        returns (int256 net, uint256 toPractices, uint256 lockstep, bytes32[] memory practiceIds, uint256[] memory amounts)
    {
        return _split(month, token);
    }

    /// @notice A pool's terms and progress.
    function pool(
        uint256 poolId
    )
        external
        view
        returns (bytes32 practiceId, address token, uint256 amount, uint256 claimed, uint256 totalWeight, uint48 timepoint, uint48 deadline)
    {
        Pool memory p = _pools[poolId];
        return (p.practiceId, p.token, p.amount, p.claimed, p.totalWeight, p.timepoint, p.deadline);
    }

    /// @notice Whether `member` has claimed pool `poolId`.
    function hasClaimedPool(uint256 poolId, address member) external view returns (bool) {
        return _poolClaimed[poolId][member];
    }

    /// @notice What `member` may claim from pool `poolId` now (0 once claimed or closed).
    function claimablePool(uint256 poolId, address member) external view returns (uint256) {
        Pool memory p = _pools[poolId];
        if (p.timepoint == 0 || _poolClaimed[poolId][member] || block.timestamp > p.deadline) return 0;
        return _shareOf(p, member);
    }

    /// @notice The calendar month (`yyyymm`, UTC) of `timestamp`.
    function monthOf(uint256 timestamp) public pure returns (uint32) {
        // Civil-from-days (H. Hinnant): exact for every date after 1970.
        uint256 z = timestamp / 1 days + 719_468;
        uint256 era = z / 146_097;
        uint256 doe = z - era * 146_097;
        uint256 yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        uint256 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        uint256 mp = (5 * doy + 2) / 153;
        uint256 m = mp < 10 ? mp + 3 : mp - 9;
        uint256 y = yoe + era * 400 + (m <= 2 ? 1 : 0);
        return uint32(y * 100 + m);
    }

    /// @notice Month `month` (`yyyymm`) moved by `delta` months.
    function addMonths(uint32 month, int256 delta) public pure returns (uint32) {
        int256 index = int256(uint256(month / 100)) * 12 + int256(uint256(month % 100)) - 1 + delta;
        return uint32(uint256(index / 12) * 100 + uint256(index % 12) + 1);
    }

    // ==========================================================================================
    // Internals
    // ==========================================================================================

    function _deposit(bytes32 practiceId, address token, address from, uint256 amount, string memory ref) private {
        if (bytes(ref).length > MAX_REFERENCE_BYTES) revert BooksTextTooLong(bytes(ref).length, MAX_REFERENCE_BYTES);
        if (amount > type(uint96).max) revert BooksInvalidAmount(amount);
        bool repeated;
        if (bytes(ref).length != 0) {
            bytes32 key = keccak256(bytes(ref));
            repeated = _depositReferenceUsed[key];
            _depositReferenceUsed[key] = true;
        }
        uint32 month = monthOf(block.timestamp);
        Treasury memory t = _treasury[token];
        if (uint256(t.held) + amount > type(uint104).max) revert BooksInvalidAmount(amount);
        t.held += uint104(amount);
        // A token's closing sequence starts at its first movement, which is always money in.
        if (t.nextClose == 0) t.nextClose = month;
        _treasury[token] = t;
        _record(month, practiceId, token, amount, 0);
        emit Deposited(practiceId, token, from, amount, ref, month, repeated);
    }

    /// @dev Accounting, then the event, then the transfer, under the caller's reentrancy guard.
    function _pay(
        uint256 budgetId,
        bytes32 practiceId,
        address token,
        address payee,
        uint256 amount,
        string calldata ref,
        string calldata memo,
        uint32 month
    ) private {
        if (payee == address(0) || payee == address(this)) revert BooksInvalidPayee(payee);
        if (amount == 0 || amount > type(uint96).max) revert BooksInvalidAmount(amount);
        if (bytes(ref).length > MAX_REFERENCE_BYTES) revert BooksTextTooLong(bytes(ref).length, MAX_REFERENCE_BYTES);
        if (bytes(memo).length > MAX_MEMO_BYTES) revert BooksTextTooLong(bytes(memo).length, MAX_MEMO_BYTES);
        Treasury storage t = _treasury[token];
        uint256 free = t.held - t.earmarked;
        if (amount > free) revert BooksInsufficientFunds(token, amount, free);
        t.held -= uint104(amount);
        _record(month, practiceId, token, 0, amount);
        emit Paid(budgetId, practiceId, payee, token, amount, msg.sender, ref, memo, month);
        _transfer(token, payee, amount);
    }

    /// @dev Adds to `practiceId`'s flow of `token` in `month` and lists the practice for that month's
    /// close at its first movement. A flow that moved is never zero again (every amount is positive), so a zero flow is a first
    /// movement: one slot read and written, no separate "listed" flag.
    function _record(uint32 month, bytes32 practiceId, address token, uint256 revenue, uint256 expenses) private {
        Flow memory f = _flows[month][practiceId][token];
        if (f.revenue == 0 && f.expenses == 0) _touched[month][token].push(practiceId);
        _flows[month][practiceId][token] = Flow(f.revenue + uint128(revenue), f.expenses + uint128(expenses));
    }

    /// @dev The split the profit rule gives `month` in `token`. Only positive practice nets earn a pool;
    /// when the firm's net (after firm costs, losses and the carried loss) is smaller than the pools,
    /// they shrink pro rata, so Σ distributed never exceeds the net. A practice with no weighted seat
    /// earns no pool: its share stays lockstep.
    function _split(
        uint32 month,
        address token
    )
        private
        view
        returns (int256 net, uint256 toPractices, uint256 lockstep, bytes32[] memory ids, uint256[] memory amounts)
    {
        ProfitRule memory rule = _rule;
        ids = _touched[month][token];
        amounts = new uint256[](ids.length);
        net = -int256(carriedLoss[token]);
        uint256 wanted;
        for (uint256 i = 0; i < ids.length; ++i) {
            Flow memory f = _flows[month][ids[i]][token];
            int256 practiceNet = int256(uint256(f.revenue)) - int256(uint256(f.expenses));
            net += practiceNet;
            if (ids[i] != bytes32(0) && practiceNet > 0 && _hasWeight(ids[i], rule)) {
                amounts[i] = (uint256(practiceNet) * rule.practiceShareBps) / BPS;
                wanted += amounts[i];
            }
        }
        if (net <= 0) {
            for (uint256 i = 0; i < ids.length; ++i) amounts[i] = 0;
            return (net, 0, 0, ids, amounts);
        }
        uint256 distributable = uint256(net);
        for (uint256 i = 0; i < ids.length; ++i) {
            if (wanted > distributable) amounts[i] = (amounts[i] * distributable) / wanted;
            toPractices += amounts[i];
        }
        lockstep = distributable - toPractices;
    }

    /// @dev Seat roles are read one second before the close, as a governor reads votes at a past
    /// timepoint: a seat change later in the closing block (after the weights were frozen) cannot add a
    /// claimant the pool's total weight does not count.
    function _weightTimepoint() private view returns (uint48) {
        return uint48(block.timestamp - 1);
    }

    function _hasWeight(bytes32 practiceId, ProfitRule memory rule) private view returns (bool) {
        (uint256 leads, uint256 members, uint256 technicians) = practices.roleCountsAt(practiceId, _weightTimepoint());
        return leads * rule.leadWeight + members * rule.memberWeight + technicians * rule.technicianWeight != 0;
    }

    /// @dev Accounting, then the event, then the payment, under a reentrancy guard: a hostile token or
    /// receiver that calls back finds the claim recorded and the guard closed.
    function _claimPool(uint256 poolId, address member) private nonReentrant returns (uint256 share) {
        Pool storage p = _pools[poolId];
        Pool memory terms = p;
        if (terms.timepoint == 0) revert BooksUnknownPool(poolId);
        if (block.timestamp > terms.deadline) revert BooksClaimClosed(poolId, terms.deadline);
        if (_poolClaimed[poolId][member]) revert BooksAlreadyClaimed(poolId, member);
        share = _shareOf(terms, member);
        if (share == 0 || terms.claimed + share > terms.amount) revert BooksNothingToClaim(poolId, member);
        _poolClaimed[poolId][member] = true;
        // Σ shares <= amount: each rounds down and Σ weights at the timepoint = totalWeight.
        p.claimed = terms.claimed + uint96(share);
        Treasury storage t = _treasury[terms.token];
        t.earmarked -= uint104(share);
        t.held -= uint104(share);
        emit PoolClaimed(poolId, member, share);
        _transfer(terms.token, member, share);
    }

    function _shareOf(Pool memory p, address member) private view returns (uint256) {
        IPartnership.PracticeRole role = practices.roleAt(p.practiceId, member, p.timepoint);
        uint256 weight = role == IPartnership.PracticeRole.Lead
            ? p.leadWeight
            : role == IPartnership.PracticeRole.Member
                ? p.memberWeight
                : role == IPartnership.PracticeRole.Technician
                    ? p.technicianWeight
                    : 0;
        if (weight == 0) return 0;
        return (uint256(p.amount) * weight) / p.totalWeight;
    }

    function _transfer(address token, address to, uint256 amount) private {
        if (token == address(0)) {
            (bool ok, ) = payable(to).call{value: amount}("");
            if (!ok) revert BooksPaymentFailed(to, amount);
        } else {
            IERC20(token).safeTransfer(to, amount);
        }
    }

    /// @dev The lead, read live, or a named spender who is still an active member (and, for a practice
    /// budget, still seated in it): a spender whose role was taken away loses the budget at once.
    function _maySpend(
        uint256 budgetId,
        bytes32 practiceId,
        address lead,
        IPractices.PracticeStatus status,
        address account
    ) private view returns (bool) {
        if (practiceId != bytes32(0)) {
            if (status != IPractices.PracticeStatus.Active) return false;
            if (account == lead) return true;
        }
        if (!_namedSpender[budgetId][account]) return false;
        (, IPartnership.MemberStatus memberStatus, , , , ) = partnership.memberOf(account);
        if (memberStatus != IPartnership.MemberStatus.Active && memberStatus != IPartnership.MemberStatus.OnLeave) return false;
        if (practiceId == bytes32(0)) return true;
        (IPartnership.PracticeRole role, ) = practices.seatOf(practiceId, account);
        return role != IPartnership.PracticeRole.None;
    }

    /// @dev Counts `amount` against this period's allowance of budget `budgetId`, or reverts.
    function _charge(Budget memory b, uint256 amount, uint32 month) private {
        uint32 period = _periodOf(b.cadence, month);
        uint256 spent = _spent[b.id][period];
        uint256 allowance = _allowance(b.id, b, period);
        uint256 remaining = allowance > spent ? allowance - spent : 0;
        if (amount > remaining) revert BooksOverBudget(amount, remaining);
        _spent[b.id][period] = spent + amount;
    }

    /// @dev This period's allowance: the amount, plus last period's unspent amount (at most one
    /// period's) when the budget rolls over and last period was under it.
    function _allowance(uint256 budgetId, Budget memory b, uint32 period) private view returns (uint256) {
        if (!b.rollover || period <= b.startPeriod) return b.amount;
        uint32 previous = addMonths(period, b.cadence == Cadence.Monthly ? int256(-1) : int256(-3));
        uint256 spentBefore = _spent[budgetId][previous];
        return uint256(b.amount) + (spentBefore < b.amount ? b.amount - spentBefore : 0);
    }

    function _periodOf(Cadence cadence, uint32 month) private pure returns (uint32) {
        if (cadence == Cadence.Monthly) return month;
        uint32 m = month % 100;
        return month - m + (((m - 1) / 3) * 3 + 1);
    }

    function _budgetInForce(string calldata slug) private view returns (Budget storage b) {
        bytes32 practiceId = _practiceIdOf(slug);
        b = _budgetIn[practiceId];
        if (b.id == 0 || b.revoked) revert BooksNoBudget(practiceId);
    }

    /// @dev Like {_practiceIdOf}, with the practice's lead and status from the same read (the firm, empty
    /// slug, has no lead and counts as active).
    function _practiceOf(
        string calldata slug
    ) private view returns (bytes32 practiceId, address lead, IPractices.PracticeStatus status) {
        if (bytes(slug).length == 0) return (bytes32(0), address(0), IPractices.PracticeStatus.Active);
        (practiceId, , lead, status, , ) = practices.practice(slug);
        if (status == IPractices.PracticeStatus.None) revert BooksUnknownPractice(slug);
    }

    /// @dev The empty slug is the firm; any other names a practice that exists (active or sunset).
    function _practiceIdOf(string calldata slug) private view returns (bytes32 practiceId) {
        if (bytes(slug).length == 0) return bytes32(0);
        IPractices.PracticeStatus status;
        (practiceId, , , status, , ) = practices.practice(slug);
        if (status == IPractices.PracticeStatus.None) revert BooksUnknownPractice(slug);
    }

    /// @dev An active practice, or the firm (empty slug): what a client pays and a budget is set for.
    function _activePracticeIdOf(string calldata slug) private view returns (bytes32 practiceId) {
        if (bytes(slug).length == 0) return bytes32(0);
        IPractices.PracticeStatus status;
        (practiceId, , , status, , ) = practices.practice(slug);
        if (status != IPractices.PracticeStatus.Active) revert BooksUnknownPractice(slug);
    }

    function _setProfitRule(uint16 practiceShareBps, uint8 leadWeight, uint8 memberWeight, uint8 technicianWeight) private {
        if (practiceShareBps > BPS || leadWeight == 0) revert BooksInvalidRule();
        _rule = ProfitRule(practiceShareBps, leadWeight, memberWeight, technicianWeight);
        emit ProfitRuleSet(practiceShareBps, leadWeight, memberWeight, technicianWeight);
    }
}
