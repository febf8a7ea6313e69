// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC5805} from "@openzeppelin/contracts/interfaces/IERC5805.sol";
import {IERC6372} from "@openzeppelin/contracts/interfaces/IERC6372.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IMemberSource} from "./interfaces/IMemberSource.sol";
import {IPartnership} from "./interfaces/IPartnership.sol";
import {ISnapshotSource} from "./interfaces/ISnapshotSource.sol";
import {Practices} from "./Practices.sol";
import {RevenueShare} from "./RevenueShare.sol";

/// @title Partnership: the firm's register of members, its equity ledger and its grant book
/// @notice One contract holds the roster (roles, statuses, leave and cover), the
/// non-transferable equity units (ERC-20 reads, ERC-5805 votes on an ERC-6372 timestamp clock) and
/// every vesting grant. Every change except a partner's own leave and the permissionless `release`
/// comes from the governance timelock, so every privileged path goes through a vote.
/// @dev Why one contract: the governor reads a voter's role, leave, cover and equity in one call per
/// vote, and `release` mints without an external call. Both are the hot paths of the firm.
///
/// Voting units ("votes") are the units granted to an account and not forfeited or burned: a grant
/// gives its beneficiary its full weight at creation, vested or not (as in Hedgey's token plans), while
/// the ERC-20 balance counts only released units. Releasing therefore moves no votes, and revenue is
/// shared on balances. Units are whole numbers (decimals 0): partnership units are not divisible.
contract Partnership is IPartnership, IERC20Metadata, IERC5805, ReentrancyGuardTransient {
    using Checkpoints for Checkpoints.Trace208;
    using SafeCast for uint256;
    using SafeERC20 for IERC20;

    /// @notice The longest leave one declaration may cover.
    uint48 public constant MAX_LEAVE = 365 days;
    /// @notice The timelock role of the withdrawal desk, the one contract that may burn a withdrawing
    /// member's units (see {withdrawMember}). Granted at deployment; changed only by a vote.
    bytes32 public constant WITHDRAWAL_ROLE = keccak256("WITHDRAWAL_ROLE");

    /// @notice The governance timelock: the only account allowed to change the firm.
    address public immutable governance;
    /// @notice The contract that runs revenue distributions; the only one allowed to take snapshots.
    address public immutable revenueShare;
    /// @notice The practice registry; the only one of the two allowed to seat a new member in a practice.
    Practices public immutable practices;

    /// @dev Slot layout, 248 bits, read once per vote:
    /// role 8 | status 8 | index 24 | partnerSince 40 | partnerUntil 40 | leaveFrom 40 | leaveUntil 40 |
    /// lastLeaveId 24 | coverLeaveId 24. Times are uint40 (good to the year 36812) to fit one slot.
    /// `status` is the stored status: OnLeave lapses by itself at `leaveUntil` (see {_effectiveStatus}).
    struct Member {
        Role role;
        MemberStatus status;
        uint24 index;
        uint40 partnerSince;
        uint40 partnerUntil;
        uint40 leaveFrom;
        uint40 leaveUntil;
        uint24 lastLeaveId;
        uint24 coverLeaveId;
    }

    /// @dev Slot layout, 256 bits: balance 64 | votes 64 | votesSince 40 | memberSince 40 |
    /// snapshotId 24 | lastGrantId 24. The latest votes live here so a vote reads one slot; older
    /// values move to `_votesHistory` when they are superseded at a later time.
    struct Holding {
        uint64 balance;
        uint64 votes;
        uint40 votesSince;
        uint40 memberSince;
        uint24 snapshotId;
        uint24 lastGrantId;
    }

    /// @dev One leave, 208 bits. `coverIndex` is the colleague asked to cover; the cover holds the
    /// ballot over [coverFrom, coverUntil), and only once accepted (`coverFrom` not zero).
    struct LeaveRecord {
        uint24 partnerIndex;
        uint24 coverIndex;
        uint40 from;
        uint40 until;
        uint40 coverFrom;
        uint40 coverUntil;
    }

    /// @dev The leave rules, set by governance: minimum length and cooldown between leaves.
    struct LeaveRules {
        uint48 minLeave;
        uint48 cooldown;
    }

    /// @dev Two slots: beneficiary 160 | start 40 | cliffEnd 40 ; units 64 | released 64 | end 40 |
    /// revokedAt 40 | prevOfBeneficiary 24.
    struct Grant {
        address beneficiary;
        uint40 start;
        uint40 cliffEnd;
        uint64 units;
        uint64 released;
        uint40 end;
        uint40 revokedAt;
        uint24 prevOfBeneficiary;
    }

    /// @dev totalSupply 64 | totalVotes 64 | totalVotesSince 40 | snapshotId 24 | supplySnapshotId 24.
    struct Ledger {
        uint64 totalSupply;
        uint64 totalVotes;
        uint40 totalVotesSince;
        uint24 snapshotId;
        uint24 supplySnapshotId;
    }

    /// @dev memberCount 24 | leaveCount 24 | grantCount 24.
    struct Counters {
        uint24 memberCount;
        uint24 leaveCount;
        uint24 grantCount;
    }

    /// @dev A balance (or supply) as it stood at snapshot `id`, written lazily on the first change after it.
    struct SnapshotValue {
        uint24 id;
        uint64 value;
    }

    mapping(address account => Member) private _members;
    mapping(address account => Holding) private _holdings;
    mapping(uint256 index => address account) private _accountAt;
    mapping(uint256 leaveId => LeaveRecord) private _leaves;
    mapping(uint256 grantId => Grant) private _grants;
    mapping(address account => Checkpoints.Trace208) private _votesHistory;
    mapping(address account => SnapshotValue[]) private _balanceSnapshots;
    mapping(uint256 snapshotId => uint48) private _snapshotTime;
    mapping(address account => mapping(address token => uint256)) private _buybackOwed;
    /// @dev Who held a partner's ballot, by time: (until << 24 | cover index) from the acceptance of a
    /// cover, 0 from its early end. A lapse at `until` needs no entry. Past lookups are a binary search
    /// over this one partner's covers, never a walk over the firm's leaves.
    mapping(address partner => Checkpoints.Trace208) private _coverHistory;
    /// @dev Whose ballot a cover held, by time, in the same encoding with the partner's index.
    mapping(address cover => Checkpoints.Trace208) private _coveringHistory;

    Ledger private _ledger;
    Counters private _counters;
    Checkpoints.Trace208 private _totalVotesHistory;
    Checkpoints.Trace208 private _partnerCount;
    /// @dev The voting units held by partners (active or on leave): the base of the equity quorum.
    /// Units of associates, affiliates and departed members never vote, so they stay out of it.
    Checkpoints.Trace208 private _partnerVotes;
    SnapshotValue[] private _supplySnapshots;
    LeaveRules private _leaveRules;

    modifier onlyGovernance() {
        if (msg.sender != governance) revert PartnershipUnauthorized(msg.sender);
        _;
    }

    /// @param governance_ The timelock that executes passed proposals.
    /// @param claimWindow How long holders may claim a distribution before the rest returns to the treasury.
    /// @param founders The first partners, admitted at deployment (a firm with no partner could never vote).
    /// @param founderUnits Each founder's first grant, fully vested at once (their existing stake).
    constructor(address governance_, uint48 claimWindow, address[] memory founders, uint64[] memory founderUnits) {
        if (governance_ == address(0)) revert PartnershipInvalidAccount(governance_);
        if (founders.length == 0 || founders.length != founderUnits.length) revert PartnershipInvalidAccount(address(0));
        governance = governance_;
        _setLeaveRules(1 days, 7 days);
        // Deployed from here so both contracts know each other without a setter anyone could hold.
        revenueShare = address(new RevenueShare(ISnapshotSource(address(this)), governance_, claimWindow));
        practices = new Practices(IMemberSource(address(this)), governance_);
        uint48 now_ = clock();
        for (uint256 i = 0; i < founders.length; ++i) {
            _admit(founders[i], Role.Partner);
            if (founderUnits[i] > 0) {
                _createGrant(founders[i], GrantTerms({units: founderUnits[i], start: now_, cliff: 0, duration: 1}));
            }
        }
    }

    // ==========================================================================================
    // Admission, roles and departure (governance only)
    // ==========================================================================================

    /// @notice Admits `account` as `role`, and in the same step optionally seats it in a practice and
    /// starts its first grant, so one proposal does the whole admission.
    /// @dev Emits {MemberAdmitted}, and {PracticeMemberSet} and {GrantCreated} when asked.
    /// Requirements: caller is the timelock; `account` was never a member; `role` is Partner,
    /// Associate or Affiliate; the practice (if `practiceSlug` is not empty) is active.
    function admit(
        address account,
        Role role,
        string calldata practiceSlug,
        PracticeRole practiceRole,
        GrantTerms calldata terms
    ) external onlyGovernance {
        _admit(account, role);
        if (bytes(practiceSlug).length != 0) practices.seatNewMember(practiceSlug, account, practiceRole);
        if (terms.units != 0) _createGrant(account, terms);
    }

    /// @notice Moves a member up the ladder: Affiliate -> Associate -> Partner.
    /// @dev Emits {MemberRoleChanged}. A partner leaves only by {retire} or {remove}: a partnership
    /// interval has one start and one end, which keeps past headcounts exact.
    /// Requirements: caller is the timelock; the member is active or on leave; the new role is higher.
    function setRole(address account, Role newRole) external onlyGovernance {
        Member storage m = _members[account];
        Role previous = m.role;
        MemberStatus status = _effectiveStatus(m);
        if (status != MemberStatus.Active && status != MemberStatus.OnLeave) revert MemberUnknown(account);
        if (newRole == Role.None || uint8(newRole) >= uint8(previous)) revert MemberInvalidRole(account, newRole);
        m.role = newRole;
        if (newRole == Role.Partner) _becomePartner(m, account);
        emit MemberRoleChanged(account, previous, newRole, clock());
    }

    /// @notice Retires `partner` and, in the same step, hands their practice leads to `successor`,
    /// claws back their unvested units and, when `buybackPrice` is not zero, buys back and burns their
    /// vested units for `buybackPrice` of `buybackToken` (zero address: ETH sent with the call).
    /// @dev The price is paid from the treasury into this contract and withdrawn by the retiree with
    /// {withdrawBuyback}, so a retiree that cannot receive funds cannot block the succession.
    /// Emits {MemberStatusChanged}, {Succession} and {PracticeLeadChanged} per practice led,
    /// {GrantRevoked} per open grant, and {UnitsBoughtBack}.
    /// Requirements: caller is the timelock; `partner` is active or on leave; `successor`, when set,
    /// is another active partner; the ETH sent equals the price for an ETH buy-back and is zero otherwise.
    function retire(
        address partner,
        address successor,
        address buybackToken,
        uint256 buybackPrice
    ) external payable onlyGovernance nonReentrant {
        if (successor != address(0) && (successor == partner || !_isActivePartner(_members[successor]))) {
            revert MemberNotPartner(successor);
        }
        _depart(partner, MemberStatus.Retired, successor);
        uint256 expectedValue = buybackToken == address(0) ? buybackPrice : 0;
        if (msg.value != expectedValue) revert BuybackValueMismatch(msg.value, expectedValue);
        if (buybackPrice != 0) {
            uint256 price = buybackPrice;
            // A fee-on-transfer token delivers less than the price: what is owed is what arrived.
            if (buybackToken != address(0)) price = _pullReceived(IERC20(buybackToken), msg.sender, buybackPrice);
            _releaseAll(partner);
            uint64 amount = _holdings[partner].balance;
            _burn(partner, amount);
            _buybackOwed[partner][buybackToken] += price;
            emit UnitsBoughtBack(partner, amount, buybackToken, price);
        }
    }

    /// @notice Removes `account` from the firm: its unvested units are clawed back, the vested part stays.
    /// Practices it led are left without a lead, never naming a departed member.
    /// @dev Emits {MemberStatusChanged}, {GrantRevoked} per open grant and {PracticeLeadChanged} to
    /// the zero address per practice led. Requirements: caller is the timelock; the member is active or on leave.
    function remove(address account) external onlyGovernance {
        _depart(account, MemberStatus.Removed, address(0));
    }

    /// @notice A member's withdrawal (partnership law's dissociation with buy-out), called by the
    /// withdrawal desk on the member's own request: the vested units are released and burned, the
    /// unvested forfeited, and an active member leaves the firm as Retired. A member who already left
    /// may still cash out the units they kept.
    /// @dev Emits {MemberWithdrew} (after the departure's events when the member was active).
    /// Requirements: caller holds the timelock's {WITHDRAWAL_ROLE}; `account` was admitted.
    /// @return units The units burned. @return totalUnits Every unit outstanding just before the burn
    /// (granted and not forfeited or burned, vested or not, released or not): the member's share of
    /// the treasury is `units / totalUnits`. Counting only released units would hand the first leaver
    /// the shares of colleagues who have not called {release}.
    function withdrawMember(address account) external nonReentrant returns (uint64 units, uint64 totalUnits) {
        if (!IAccessControl(governance).hasRole(WITHDRAWAL_ROLE, msg.sender)) revert PartnershipNotWithdrawalDesk(msg.sender);
        Member storage m = _members[account];
        MemberStatus status = _effectiveStatus(m);
        if (status == MemberStatus.None) revert MemberUnknown(account);
        // Release before the departure revokes: vested units are the member's to cash out.
        _releaseAll(account);
        if (status == MemberStatus.Active || status == MemberStatus.OnLeave) _depart(account, MemberStatus.Retired, address(0));
        units = _holdings[account].balance;
        totalUnits = _ledger.totalVotes;
        _burn(account, units);
        emit MemberWithdrew(account, units, totalUnits, clock());
    }

    /// @notice Pays a bought-back member what the firm owes them in `token` (zero address: ETH).
    /// @dev Emits {BuybackPaid}. Accounting first, then the transfer, under a reentrancy guard.
    function withdrawBuyback(address token) external nonReentrant {
        uint256 owed = _buybackOwed[msg.sender][token];
        if (owed == 0) revert BuybackNothingOwed(msg.sender);
        _buybackOwed[msg.sender][token] = 0;
        emit BuybackPaid(msg.sender, token, owed);
        if (token == address(0)) {
            (bool ok, ) = payable(msg.sender).call{value: owed}("");
            if (!ok) revert PartnershipPaymentFailed(msg.sender, owed);
        } else {
            IERC20(token).safeTransfer(msg.sender, owed);
        }
    }

    // ==========================================================================================
    // Leave and cover (the partner themself)
    // ==========================================================================================

    /// @notice Declares the caller's leave from now until `until`, asking `cover` (0: nobody) to cast
    /// their ballot meanwhile.
    /// @dev The cover holds the ballot only once they accept ({acceptCover}), and until they step down,
    /// the leave ends early, or it lapses at `until` with no transaction; the rest of the time the
    /// partner keeps their own ballot, so every partner's ballot always has exactly one holder and a
    /// leave never moves a quorum. A cover covers one colleague at a time and cannot leave while
    /// covering: no partner gathers several seats. Each leave lasts at least the minimum leave, and the
    /// next may start only a cooldown after it ended, both set by governance.
    /// Emits {MemberStatusChanged} and {LeaveDeclared}.
    /// Requirements: the caller is an active partner not on leave and not covering anyone, past the
    /// cooldown; `until` is at least the minimum leave and at most {MAX_LEAVE} away; `cover`, when
    /// set, is another active partner, not on leave and not covering anyone.
    function declareLeave(uint48 until, address cover) external {
        Member storage m = _members[msg.sender];
        if (!_isActivePartner(m)) revert MemberNotPartner(msg.sender);
        MemberStatus status = _effectiveStatus(m);
        if (status != MemberStatus.Active) revert MemberInvalidTransition(msg.sender, status, MemberStatus.OnLeave);
        uint48 now_ = clock();
        if (_coveringNow(m) != 0) revert LeaveWhileCovering(msg.sender);
        LeaveRules memory rules = _leaveRules;
        if (m.lastLeaveId != 0 && now_ < m.leaveUntil + rules.cooldown) {
            revert LeaveCooldown(msg.sender, uint48(m.leaveUntil + rules.cooldown));
        }
        if (until < now_ + rules.minLeave || until <= now_ || until > now_ + MAX_LEAVE) {
            revert LeaveInvalidUntil(until, now_ + rules.minLeave, now_ + MAX_LEAVE);
        }
        uint24 coverIndex;
        if (cover != address(0)) {
            // Checked again at acceptance; asking someone who could not accept now is a mistake to
            // report at once, as the next leave waits out the cooldown.
            Member storage c = _members[cover];
            if (cover == msg.sender || !_canCover(c)) revert LeaveInvalidCover(cover);
            coverIndex = c.index;
        }

        uint24 leaveId = ++_counters.leaveCount;
        _leaves[leaveId] = LeaveRecord({
            partnerIndex: m.index,
            coverIndex: coverIndex,
            from: uint40(now_),
            until: uint40(until),
            coverFrom: 0,
            coverUntil: 0
        });
        m.status = MemberStatus.OnLeave;
        m.leaveFrom = uint40(now_);
        m.leaveUntil = uint40(until);
        m.lastLeaveId = leaveId;
        emit MemberStatusChanged(msg.sender, MemberStatus.Active, MemberStatus.OnLeave, now_);
        emit LeaveDeclared(msg.sender, cover, leaveId, now_, until);
    }

    /// @notice Accepts to cover `partner`'s leave in force, as they asked: from now until the leave
    /// ends, the caller casts `partner`'s ballot.
    /// @dev Emits {CoverAccepted}. Requirements: the caller is the colleague `partner` asked, an active
    /// partner not on leave and not covering anyone; the leave is in force and not yet accepted.
    function acceptCover(address partner) external {
        Member storage p = _members[partner];
        Member storage c = _members[msg.sender];
        uint24 leaveId = p.lastLeaveId;
        LeaveRecord storage r = _leaves[leaveId];
        if (
            _effectiveStatus(p) != MemberStatus.OnLeave ||
            r.coverIndex == 0 ||
            r.coverIndex != c.index ||
            r.coverFrom != 0
        ) revert CoverNotRequested(partner, msg.sender);
        if (!_canCover(c)) revert LeaveInvalidCover(msg.sender);
        uint48 now_ = clock();
        uint40 until = r.until;
        r.coverFrom = uint40(now_);
        r.coverUntil = until;
        c.coverLeaveId = leaveId;
        _coverHistory[partner].push(now_, (uint208(until) << 24) | c.index);
        _coveringHistory[msg.sender].push(now_, (uint208(until) << 24) | p.index);
        emit CoverAccepted(partner, msg.sender, leaveId, now_);
    }

    /// @notice Steps down as cover: from now on the colleague on leave holds their own ballot again.
    /// @dev Emits {CoverEnded}. Requirements: the caller covers someone now.
    function resignCover() external {
        uint24 leaveId = _members[msg.sender].coverLeaveId;
        if (_coveringNow(_members[msg.sender]) == 0) revert CoverNotCovering(msg.sender);
        _endCover(leaveId);
        emit CoverEnded(_accountAt[_leaves[leaveId].partnerIndex], msg.sender, leaveId, clock());
    }

    /// @notice Ends the caller's leave early: they vote in their own name again from now on.
    /// @dev Proposals whose snapshot fell inside an accepted cover stay with the cover: ballots are
    /// read at the snapshot. Emits {LeaveEnded} and {MemberStatusChanged}.
    /// Requirements: the caller is on leave now.
    function endLeave() external {
        Member storage m = _members[msg.sender];
        if (_effectiveStatus(m) != MemberStatus.OnLeave) revert LeaveNotOnLeave(msg.sender);
        _endLeave(msg.sender, m);
        m.status = MemberStatus.Active;
        emit MemberStatusChanged(msg.sender, MemberStatus.OnLeave, MemberStatus.Active, clock());
    }

    /// @notice Sets the leave rules for leaves declared from now on. Emits {LeaveRulesChanged}.
    /// @dev Requirements: caller is the timelock; `minLeave` at most {MAX_LEAVE}, `cooldown` at most a year.
    function setLeaveRules(uint48 minLeave, uint48 cooldown) external onlyGovernance {
        _setLeaveRules(minLeave, cooldown);
    }

    // ==========================================================================================
    // Grants
    // ==========================================================================================

    /// @notice Starts a grant of `terms.units` for the member `beneficiary`.
    /// @dev The beneficiary's votes rise by the full grant at once. Emits {GrantCreated} and
    /// {DelegateVotesChanged}. Requirements: caller is the timelock; `beneficiary` is an active member;
    /// units and duration are not zero and the cliff is within the duration.
    function createGrant(address beneficiary, GrantTerms calldata terms) external onlyGovernance returns (uint256) {
        return _createGrant(beneficiary, terms);
    }

    /// @notice Revokes a grant: the unvested part is forfeited (votes fall by it), the vested part stays
    /// releasable.
    /// @dev Emits {GrantRevoked} and {DelegateVotesChanged}. Requirements: caller is the timelock; the
    /// grant exists and is not revoked.
    function revokeGrant(uint256 grantId) external onlyGovernance {
        _revokeGrant(grantId);
    }

    /// @notice Mints the vested, unreleased units of grant `grantId` to its beneficiary. Anyone may
    /// call it; the units always go to the beneficiary.
    /// @dev Accounting, then events; there is no external call. Emits {GrantReleased} and {Transfer}.
    /// Requirements: something is releasable.
    function release(uint256 grantId) external nonReentrant returns (uint256 amount) {
        amount = _release(grantId);
        if (amount == 0) revert GrantNothingToRelease(grantId);
    }

    // ==========================================================================================
    // Snapshots (revenue share only)
    // ==========================================================================================

    /// @notice Freezes every balance at this moment for a distribution and returns the snapshot id
    /// and the total supply then.
    /// @dev Balances are written lazily, on each account's first change after the snapshot.
    /// Emits {SnapshotTaken}. Requirements: caller is the revenue-share contract.
    function takeSnapshot() external returns (uint256 snapshotId, uint256 supply) {
        if (msg.sender != revenueShare) revert PartnershipUnauthorized(msg.sender);
        Ledger storage ledger = _ledger;
        snapshotId = ++ledger.snapshotId;
        supply = ledger.totalSupply;
        _snapshotTime[snapshotId] = clock();
        emit SnapshotTaken(snapshotId, uint64(supply), clock());
    }

    // ==========================================================================================
    // ERC-20 reads; transfers and approvals revert
    // ==========================================================================================

    /// @inheritdoc IERC20Metadata
    function name() external pure returns (string memory) {
        return "MSP IT Partners Equity";
    }

    /// @inheritdoc IERC20Metadata
    function symbol() external pure returns (string memory) {
        return "MSPEQ";
    }

    /// @inheritdoc IERC20Metadata
    /// @dev Zero: partnership units are whole.
    function decimals() external pure returns (uint8) {
        return 0;
    }

    /// @inheritdoc IERC20
    function totalSupply() external view returns (uint256) {
        return _ledger.totalSupply;
    }

    /// @inheritdoc IERC20
    function balanceOf(address account) external view returns (uint256) {
        return _holdings[account].balance;
    }

    /// @inheritdoc IERC20
    function allowance(address, address) external pure returns (uint256) {
        return 0;
    }

    /// @notice Always reverts: equity units cannot move between accounts.
    function transfer(address, uint256) external pure returns (bool) {
        revert EquityNonTransferable();
    }

    /// @notice Always reverts: equity units cannot move between accounts.
    function transferFrom(address, address, uint256) external pure returns (bool) {
        revert EquityNonTransferable();
    }

    /// @notice Always reverts: equity units cannot move between accounts.
    function approve(address, uint256) external pure returns (bool) {
        revert EquityNonTransferable();
    }

    // ==========================================================================================
    // ERC-5805 votes on an ERC-6372 timestamp clock. Delegation is replaced by leave cover.
    // ==========================================================================================

    /// @inheritdoc IERC6372
    function clock() public view returns (uint48) {
        return uint48(block.timestamp);
    }

    /// @inheritdoc IERC6372
    function CLOCK_MODE() external pure returns (string memory) { // solhint-disable-line func-name-mixedcase
        return "mode=timestamp";
    }

    /// @inheritdoc IVotes
    function getVotes(address account) external view returns (uint256) {
        return _holdings[account].votes;
    }

    /// @inheritdoc IVotes
    function getPastVotes(address account, uint256 timepoint) external view returns (uint256) {
        _requirePast(timepoint);
        return _votesAt(account, timepoint);
    }

    /// @inheritdoc IVotes
    /// @dev The total of voting units (granted, not forfeited or burned), not the ERC-20 supply.
    function getPastTotalSupply(uint256 timepoint) external view returns (uint256) {
        _requirePast(timepoint);
        Ledger memory ledger = _ledger;
        if (ledger.totalVotesSince <= timepoint) return ledger.totalVotes;
        return _totalVotesHistory.upperLookupRecent(uint48(timepoint));
    }

    /// @inheritdoc IVotes
    /// @dev Every account votes its own units; a partner on leave is represented by their cover,
    /// which the governor reads through {ballot}.
    function delegates(address account) external pure returns (address) {
        return account;
    }

    /// @notice Always reverts: use {declareLeave} to have a cover vote for you.
    function delegate(address) external pure {
        revert EquityNonTransferable();
    }

    /// @notice Always reverts: use {declareLeave} to have a cover vote for you.
    function delegateBySig(address, uint256, uint256, uint8, bytes32, bytes32) external pure {
        revert EquityNonTransferable();
    }

    // ==========================================================================================
    // Views for the governor, the revenue share and clients
    // ==========================================================================================

    /// @notice The ballots `voter` holds at `timepoint`: their own (if a partner then and not on leave
    /// then) and the one of the partner they covered then, with each one's equity weight.
    /// @dev A partner who has since retired or been removed holds no ballot, even on proposals whose
    /// snapshot predates their departure: a departed partner no longer decides for the firm.
    function ballot(address voter, uint256 timepoint) external view returns (Ballot memory b) {
        Member memory m = _members[voter];
        if (m.partnerUntil != 0 || !_partnerAt(m, timepoint)) return b;
        if (_coverAt(voter, m, timepoint) == address(0)) {
            b.selfIndex = m.index;
            b.selfWeight = _votesAt(voter, timepoint);
        }
        if (m.coverLeaveId != 0) {
            uint256 coveredIndex = _coveringAt(voter, m, timepoint);
            if (coveredIndex != 0) {
                address covered = _accountAt[coveredIndex];
                Member memory cm = _members[covered];
                if (cm.partnerUntil == 0 && _partnerAt(cm, timepoint)) {
                    b.coveredIndex = coveredIndex;
                    b.covered = covered;
                    b.coveredWeight = _votesAt(covered, timepoint);
                }
            }
        }
    }

    /// @notice The voting units partners held at `timepoint`: the base of the equity quorum.
    /// @dev Units of associates, affiliates and departed members are left out: they can never be
    /// cast, and counting them could put a quorum out of the voters' reach for good.
    function partnerVotesAt(uint256 timepoint) external view returns (uint256) {
        return _partnerVotes.upperLookupRecent(uint48(timepoint));
    }

    /// @notice The colleague who held `partner`'s ballot at `timepoint` (an accepted cover of a leave
    /// then, still a partner now), 0 when the partner held it themself.
    function coverAt(address partner, uint256 timepoint) external view returns (address) {
        return _coverAt(partner, _members[partner], timepoint);
    }

    /// @notice Partners at `timepoint`: the base of the headcount quorum.
    /// @dev Every partner's ballot has exactly one holder at any time (the partner, or the cover they
    /// asked and who accepted), so partners on leave count like any other: a leave cannot move the
    /// base. One checkpoint lookup, whatever the firm's history.
    function headcountAt(uint256 timepoint) external view returns (uint256) {
        return _partnerCount.upperLookupRecent(uint48(timepoint));
    }

    /// @notice The leave rules for leaves declared from now on.
    function leaveRules() external view returns (uint48 minLeave, uint48 cooldown) {
        LeaveRules memory r = _leaveRules;
        return (r.minLeave, r.cooldown);
    }

    /// @notice Whether `account` is a partner who is active or on leave now (may propose).
    function isActivePartner(address account) external view returns (bool) {
        return _isActivePartner(_members[account]);
    }

    /// @notice The ballot position (member index, from 1) of `account`, 0 for a non-member.
    function memberIndex(address account) external view returns (uint256) {
        return _members[account].index;
    }

    /// @notice The member with index `index`.
    function memberAt(uint256 index) external view returns (address) {
        return _accountAt[index];
    }

    /// @notice The number of members ever admitted, grants ever created and leaves ever declared.
    function counts() external view returns (uint256 members, uint256 grants, uint256 leaves) {
        Counters memory c = _counters;
        return (c.memberCount, c.grantCount, c.leaveCount);
    }

    /// @notice A member's record, with its status as of now (a lapsed leave reads Active).
    function memberOf(
        address account
    )
        external
        view
        returns (Role role, MemberStatus status, uint256 index, uint48 since, uint48 partnerSince, uint48 partnerUntil)
    {
        Member memory m = _members[account];
        return (m.role, _effectiveStatus(m), m.index, _holdings[account].memberSince, m.partnerSince, m.partnerUntil);
    }

    /// @notice `partner`'s latest leave: the colleague asked to cover it, its window, whether it is in
    /// force now, and the window in which the cover holds (or held) the ballot (`coverFrom` 0 while the
    /// request is not accepted).
    function leaveOf(
        address partner
    ) external view returns (address cover, uint48 from, uint48 until, bool inForce, uint48 coverFrom, uint48 coverUntil) {
        LeaveRecord memory r = _leaves[_members[partner].lastLeaveId];
        return (_accountAt[r.coverIndex], r.from, r.until, block.timestamp < r.until, r.coverFrom, r.coverUntil);
    }

    /// @notice The colleague `cover` covers now, if any (an accepted cover of a leave in force).
    function coveringOf(address cover) external view returns (address partner) {
        uint256 index = _coveringNow(_members[cover]);
        return index == 0 ? address(0) : _accountAt[index];
    }

    /// @notice A grant's terms and progress.
    function grantOf(
        uint256 grantId
    )
        external
        view
        returns (address beneficiary, uint64 units, uint64 released, uint48 start, uint48 cliffEnd, uint48 end, uint48 revokedAt)
    {
        Grant memory g = _grants[grantId];
        return (g.beneficiary, g.units, g.released, g.start, g.cliffEnd, g.end, g.revokedAt);
    }

    /// @notice The id of `beneficiary`'s latest grant and, for a grant, the previous one of the same
    /// beneficiary (0 at the end): walk them to list every grant.
    function lastGrantOf(address beneficiary) external view returns (uint256) {
        return _holdings[beneficiary].lastGrantId;
    }

    /// @notice The grant created before `grantId` for the same beneficiary, 0 if none.
    function previousGrant(uint256 grantId) external view returns (uint256) {
        return _grants[grantId].prevOfBeneficiary;
    }

    /// @notice Units of grant `grantId` vested at `timepoint` (zero before the cliff; capped at revocation).
    function vestedAt(uint256 grantId, uint256 timepoint) external view returns (uint256) {
        return _vestedAt(_grants[grantId], timepoint);
    }

    /// @notice Units of grant `grantId` that {release} would mint now.
    function releasable(uint256 grantId) external view returns (uint256) {
        Grant memory g = _grants[grantId];
        return _vestedAt(g, block.timestamp) - g.released;
    }

    /// @notice `account`'s balance at snapshot `snapshotId`.
    function balanceOfAt(address account, uint256 snapshotId) external view returns (uint256) {
        return _valueAt(_balanceSnapshots[account], snapshotId, _holdings[account].balance);
    }

    /// @notice `account`'s balance at snapshot `snapshotId`, for {RevenueShare} alone, which asks only
    /// for snapshots it took: one storage read per claim cheaper than {balanceOfAt}, whose check that
    /// the snapshot exists is needless there.
    function snapshotBalanceOf(address account, uint256 snapshotId) external view returns (uint256) {
        if (msg.sender != revenueShare) revert PartnershipUnauthorized(msg.sender);
        return _lookup(_balanceSnapshots[account], snapshotId, _holdings[account].balance);
    }

    /// @notice The total supply at snapshot `snapshotId`.
    function totalSupplyAt(uint256 snapshotId) external view returns (uint256) {
        return _valueAt(_supplySnapshots, snapshotId, _ledger.totalSupply);
    }

    /// @notice When snapshot `snapshotId` was taken.
    function snapshotTime(uint256 snapshotId) external view returns (uint48) {
        return _snapshotTime[snapshotId];
    }

    /// @notice What the firm owes `account` in `token` after a buy-back.
    function buybackOwed(address account, address token) external view returns (uint256) {
        return _buybackOwed[account][token];
    }

    // ==========================================================================================
    // Internal: members
    // ==========================================================================================

    function _admit(address account, Role role) private {
        if (account == address(0) || account == governance) revert PartnershipInvalidAccount(account);
        Member storage m = _members[account];
        if (m.status != MemberStatus.None) revert MemberAlreadyAdmitted(account);
        if (role == Role.None) revert MemberInvalidRole(account, role);
        uint24 index = ++_counters.memberCount;
        m.role = role;
        m.status = MemberStatus.Active;
        m.index = index;
        _accountAt[index] = account;
        _holdings[account].memberSince = uint40(block.timestamp);
        if (role == Role.Partner) _becomePartner(m, account);
        emit MemberAdmitted(account, role, index, clock());
    }

    function _becomePartner(Member storage m, address account) private {
        m.partnerSince = uint40(block.timestamp);
        _partnerCount.push(clock(), _partnerCount.latest() + 1);
        uint64 votes = _holdings[account].votes;
        if (votes != 0) _partnerVotes.push(clock(), _partnerVotes.latest() + votes);
    }

    /// @dev Retirement, removal and withdrawal: ends a leave or a cover in force, closes the partnership
    /// interval, hands the practices it led to `successor` (0: leaves them without a lead), takes it
    /// out of every practice it sits in (so no later practice pool counts it), and claws back every
    /// unvested unit.
    function _depart(address account, MemberStatus to, address successor) private {
        Member storage m = _members[account];
        MemberStatus from = _effectiveStatus(m);
        if (from != MemberStatus.Active && from != MemberStatus.OnLeave) revert MemberInvalidTransition(account, from, to);
        uint48 now_ = clock();
        if (from == MemberStatus.OnLeave) _endLeave(account, m);
        // A departing cover hands the ballot back: the colleague on leave holds it themself again.
        if (_coveringNow(m) != 0) {
            uint24 leaveId = m.coverLeaveId;
            _endCover(leaveId);
            emit CoverEnded(_accountAt[_leaves[leaveId].partnerIndex], account, leaveId, now_);
        }
        if (m.role == Role.Partner) {
            m.partnerUntil = uint40(now_);
            _partnerCount.push(now_, _partnerCount.latest() - 1);
            uint64 votes = _holdings[account].votes;
            if (votes != 0) _partnerVotes.push(now_, _partnerVotes.latest() - votes);
        }
        practices.releaseDeparted(account, successor);
        m.status = to;
        emit MemberStatusChanged(account, from, to, now_);
        for (uint256 id = _holdings[account].lastGrantId; id != 0; id = _grants[id].prevOfBeneficiary) {
            if (_grants[id].revokedAt == 0) _revokeGrant(id);
        }
    }

    /// @dev Ends the partner's leave now, and its accepted cover with it.
    function _endLeave(address partner, Member storage m) private {
        uint40 now_ = uint40(block.timestamp);
        uint24 leaveId = m.lastLeaveId;
        LeaveRecord storage r = _leaves[leaveId];
        if (r.coverFrom != 0 && now_ < r.coverUntil) _endCover(leaveId);
        r.until = now_;
        m.leaveUntil = now_;
        emit LeaveEnded(partner, _accountAt[r.coverIndex], leaveId, now_);
    }

    /// @dev Ends the accepted cover of leave `leaveId` now, in the record and in both histories.
    function _endCover(uint24 leaveId) private {
        uint48 now_ = clock();
        LeaveRecord storage r = _leaves[leaveId];
        r.coverUntil = uint40(now_);
        _coverHistory[_accountAt[r.partnerIndex]].push(now_, 0);
        _coveringHistory[_accountAt[r.coverIndex]].push(now_, 0);
    }

    function _setLeaveRules(uint48 minLeave, uint48 cooldown) private {
        if (minLeave > MAX_LEAVE || cooldown > 365 days) revert LeaveInvalidRules(minLeave, cooldown);
        _leaveRules = LeaveRules({minLeave: minLeave, cooldown: cooldown});
        emit LeaveRulesChanged(minLeave, cooldown);
    }

    function _effectiveStatus(Member memory m) private view returns (MemberStatus) {
        if (m.status == MemberStatus.OnLeave && block.timestamp >= m.leaveUntil) return MemberStatus.Active;
        return m.status;
    }

    function _isActivePartner(Member memory m) private view returns (bool) {
        MemberStatus s = _effectiveStatus(m);
        return m.role == Role.Partner && (s == MemberStatus.Active || s == MemberStatus.OnLeave);
    }

    function _partnerAt(Member memory m, uint256 t) private pure returns (bool) {
        return m.partnerSince != 0 && m.partnerSince <= t && (m.partnerUntil == 0 || t < m.partnerUntil);
    }

    /// @dev The cover holding `partner`'s ballot at `t`, 0 if the partner held it (a cover who has
    /// since departed cannot cast it, so it comes back to the partner). The latest leave answers from
    /// its record; older times take one binary search of the partner's own cover history. No walk: the
    /// cost does not grow with the number of leaves.
    function _coverAt(address partner, Member memory m, uint256 t) private view returns (address) {
        if (m.lastLeaveId == 0) return address(0);
        uint256 index;
        if (t >= m.leaveFrom) {
            LeaveRecord memory r = _leaves[m.lastLeaveId];
            if (r.coverFrom != 0 && r.coverFrom <= t && t < r.coverUntil) index = r.coverIndex;
        } else {
            index = _heldAt(_coverHistory[partner], t);
        }
        if (index == 0) return address(0);
        address cover = _accountAt[index];
        return _members[cover].partnerUntil == 0 ? cover : address(0);
    }

    /// @dev The member index of the partner whose ballot `cover` held at `t`, 0 if none.
    function _coveringAt(address cover, Member memory c, uint256 t) private view returns (uint256) {
        if (c.coverLeaveId == 0) return 0;
        LeaveRecord memory r = _leaves[c.coverLeaveId];
        if (t >= r.coverFrom) return t < r.coverUntil ? r.partnerIndex : 0;
        return _heldAt(_coveringHistory[cover], t);
    }

    /// @dev An active partner, not on leave and not covering anyone: one seat at most per partner.
    function _canCover(Member memory c) private view returns (bool) {
        return c.role == Role.Partner && _effectiveStatus(c) == MemberStatus.Active && _coveringNow(c) == 0;
    }

    /// @dev The partner index `cover` covers now, 0 if none.
    function _coveringNow(Member memory c) private view returns (uint256) {
        if (c.coverLeaveId == 0) return 0;
        LeaveRecord memory r = _leaves[c.coverLeaveId];
        return block.timestamp < r.coverUntil ? r.partnerIndex : 0;
    }

    /// @dev Reads an (until << 24 | index) history at `t`: the newest entry first, as most lookups are
    /// for recent snapshots, then a binary search (O(log n)).
    function _heldAt(Checkpoints.Trace208 storage history, uint256 t) private view returns (uint256) {
        uint256 n = history.length();
        if (n == 0) return 0;
        Checkpoints.Checkpoint208 memory last = history.at(uint32(n - 1));
        uint256 value = last._key <= t ? last._value : history.upperLookup(uint48(t));
        return t < (value >> 24) ? value & 0xffffff : 0;
    }

    // ==========================================================================================
    // Internal: grants, units and votes
    // ==========================================================================================

    function _createGrant(address beneficiary, GrantTerms memory terms) private returns (uint256 grantId) {
        MemberStatus s = _effectiveStatus(_members[beneficiary]);
        if (s != MemberStatus.Active && s != MemberStatus.OnLeave) revert MemberUnknown(beneficiary);
        // A start beyond uint40 would wrap silently into the past and vest at once.
        if (terms.units == 0 || terms.duration == 0 || terms.cliff > terms.duration || terms.start > type(uint40).max) {
            revert GrantInvalidTerms(terms.units, terms.cliff, terms.duration);
        }
        uint40 start = terms.start == 0 ? uint40(block.timestamp) : uint40(terms.start);
        Holding storage h = _holdings[beneficiary];
        grantId = ++_counters.grantCount;
        _grants[grantId] = Grant({
            beneficiary: beneficiary,
            start: start,
            cliffEnd: start + terms.cliff,
            units: terms.units,
            released: 0,
            end: start + terms.duration,
            revokedAt: 0,
            prevOfBeneficiary: h.lastGrantId
        });
        h.lastGrantId = uint24(grantId);
        emit GrantCreated(grantId, beneficiary, terms.units, start, start + terms.cliff, start + terms.duration);
        _addVotes(beneficiary, terms.units, true);
    }

    function _revokeGrant(uint256 grantId) private {
        Grant storage g = _grants[grantId];
        if (g.beneficiary == address(0)) revert GrantUnknown(grantId);
        if (g.revokedAt != 0) revert GrantAlreadyRevoked(grantId);
        uint64 vested = uint64(_vestedAt(g, block.timestamp));
        uint64 forfeited = g.units - vested;
        g.revokedAt = uint40(block.timestamp);
        emit GrantRevoked(grantId, g.beneficiary, forfeited, clock());
        if (forfeited != 0) _addVotes(g.beneficiary, forfeited, false);
    }

    function _releaseAll(address account) private {
        for (uint256 id = _holdings[account].lastGrantId; id != 0; id = _grants[id].prevOfBeneficiary) {
            _release(id);
        }
    }

    /// @dev Mints what has vested since the last release. Votes do not move: they were counted at grant.
    function _release(uint256 grantId) private returns (uint64 amount) {
        Grant storage g = _grants[grantId];
        address beneficiary = g.beneficiary;
        if (beneficiary == address(0)) revert GrantUnknown(grantId);
        uint64 released = g.released;
        // vested <= units < 2^64 and released <= vested (invariant), so the difference fits.
        amount = uint64(_vestedAt(g, block.timestamp)) - released;
        if (amount == 0) return 0;
        g.released = released + amount;
        emit GrantReleased(grantId, beneficiary, amount, released + amount);
        _mint(beneficiary, amount);
    }

    /// @dev Linear vesting from `start` to `end`, nothing before `cliffEnd`, frozen at revocation.
    function _vestedAt(Grant memory g, uint256 t) private pure returns (uint256) {
        if (g.revokedAt != 0 && t > g.revokedAt) t = g.revokedAt;
        if (t < g.cliffEnd) return 0;
        if (t >= g.end) return g.units;
        return (uint256(g.units) * (t - g.start)) / (g.end - g.start);
    }

    function _mint(address account, uint64 amount) private {
        Holding storage h = _holdings[account];
        Ledger storage ledger = _ledger;
        _snapshotBalance(account, h, ledger.snapshotId);
        _snapshotSupply(ledger);
        h.balance += amount;
        ledger.totalSupply += amount;
        emit Transfer(address(0), account, amount);
    }

    /// @dev Burned units leave both the balance and the votes.
    function _burn(address account, uint64 amount) private {
        if (amount == 0) return;
        Holding storage h = _holdings[account];
        Ledger storage ledger = _ledger;
        _snapshotBalance(account, h, ledger.snapshotId);
        _snapshotSupply(ledger);
        h.balance -= amount;
        ledger.totalSupply -= amount;
        emit Transfer(account, address(0), amount);
        _addVotes(account, amount, false);
    }

    /// @dev Keeps the latest votes in the hot slot and moves the superseded value into history only
    /// when it was set at an earlier time, so several changes in one block cost one history entry.
    function _addVotes(address account, uint64 amount, bool up) private {
        uint48 now_ = clock();
        Holding storage h = _holdings[account];
        uint64 previous = h.votes;
        uint64 next = up ? previous + amount : previous - amount;
        if (h.votesSince != now_ && h.votesSince != 0) _votesHistory[account].push(h.votesSince, previous);
        h.votes = next;
        h.votesSince = uint40(now_);
        emit DelegateVotesChanged(account, previous, next);

        Member storage m = _members[account];
        if (m.role == Role.Partner && m.partnerUntil == 0) {
            uint208 partnerTotal = _partnerVotes.latest();
            _partnerVotes.push(now_, up ? partnerTotal + amount : partnerTotal - amount);
        }

        Ledger storage ledger = _ledger;
        uint64 total = ledger.totalVotes;
        if (ledger.totalVotesSince != now_ && ledger.totalVotesSince != 0) _totalVotesHistory.push(ledger.totalVotesSince, total);
        ledger.totalVotes = up ? total + amount : total - amount;
        ledger.totalVotesSince = uint40(now_);
    }

    function _votesAt(address account, uint256 t) private view returns (uint256) {
        Holding memory h = _holdings[account];
        if (h.votesSince <= t) return h.votes;
        return _votesHistory[account].upperLookupRecent(uint48(t));
    }

    function _snapshotBalance(address account, Holding storage h, uint24 current) private {
        if (h.snapshotId < current) {
            _balanceSnapshots[account].push(SnapshotValue({id: current, value: h.balance}));
            h.snapshotId = current;
        }
    }

    function _snapshotSupply(Ledger storage ledger) private {
        if (ledger.supplySnapshotId < ledger.snapshotId) {
            _supplySnapshots.push(SnapshotValue({id: ledger.snapshotId, value: ledger.totalSupply}));
            ledger.supplySnapshotId = ledger.snapshotId;
        }
    }

    /// @dev The value at snapshot `id` is the one recorded by the first change at or after it, or the
    /// current value if nothing changed since.
    function _valueAt(SnapshotValue[] storage values, uint256 id, uint256 current) private view returns (uint256) {
        if (id == 0 || id > _ledger.snapshotId) revert SnapshotUnknown(id);
        return _lookup(values, id, current);
    }

    /// @dev The value recorded for the first snapshot at or after `id`, or `current` if none changed since.
    function _lookup(SnapshotValue[] storage values, uint256 id, uint256 current) private view returns (uint256) {
        uint256 low = 0;
        uint256 high = values.length;
        while (low < high) {
            uint256 mid = (low + high) / 2;
            if (values[mid].id < id) low = mid + 1;
            else high = mid;
        }
        return low == values.length ? current : values[low].value;
    }

    /// @dev Pulls `amount` of `token` from `from` and returns what arrived (less for a fee-on-transfer token).
    function _pullReceived(IERC20 token, address from, uint256 amount) private returns (uint256) {
        uint256 before = token.balanceOf(address(this));
        token.safeTransferFrom(from, address(this), amount);
        return token.balanceOf(address(this)) - before;
    }

    function _requirePast(uint256 timepoint) private view {
        uint48 now_ = clock();
        if (timepoint >= now_) revert EquityFutureLookup(timepoint, now_);
    }
}
