// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title The partnership's types, events and errors
/// @notice Shared by {Partnership} (the registry of members and practices, the equity ledger and the
/// grant book), the governor that reads ballots from it, and the off-chain indexer that rebuilds the
/// state from these events alone.
interface IPartnership {
    /// @notice A member's standing in the firm.
    enum Role {
        None,
        Partner,
        Associate,
        Affiliate
    }

    /// @notice Where a member stands in the membership state machine.
    /// @dev Allowed transitions (anything else reverts with {MemberInvalidTransition}):
    /// None -> Active (admission); Active -> OnLeave (declareLeave, partners only);
    /// OnLeave -> Active (endLeave, or by itself at the leave's end, with no transaction);
    /// Active | OnLeave -> Retired (retire); Active | OnLeave -> Removed (remove).
    /// Retired and Removed are final.
    enum MemberStatus {
        None,
        Active,
        OnLeave,
        Retired,
        Removed
    }

    /// @notice A member's role inside one practice.
    enum PracticeRole {
        None,
        Lead,
        Member,
        Technician
    }

    /// @notice The terms of a grant, as given to {Partnership-createGrant} and {Partnership-admit}.
    /// @dev `cliff` and `duration` are seconds after `start`. A zero `units` means "no grant".
    struct GrantTerms {
        uint64 units;
        uint48 start;
        uint32 cliff;
        uint32 duration;
    }

    /// @notice What a governor needs to count one voter's ballots at a snapshot.
    /// @dev `selfIndex` is 0 when the voter cannot cast their own ballot at `timepoint`: not a partner
    /// then, departed since, or a cover held it then ({Partnership-coverAt} names them).
    /// `coveredIndex` is 0 when the voter covered nobody then.
    struct Ballot {
        uint256 selfIndex;
        uint256 selfWeight;
        uint256 coveredIndex;
        uint256 coveredWeight;
        address covered;
    }

    // ------------------------------------------------------------------------------------------
    // Events. Each carries enough to rebuild the state without calls.
    // ------------------------------------------------------------------------------------------

    /// @notice `account` joined the firm as `role`, with member index `index` (its ballot position).
    event MemberAdmitted(address indexed account, Role role, uint256 index, uint48 since);
    /// @notice `account`'s firm role changed (an associate made partner, for instance).
    event MemberRoleChanged(address indexed account, Role previousRole, Role newRole, uint48 at);
    /// @notice `account`'s stored status changed. A leave's end by lapse emits nothing; see {LeaveDeclared}.
    event MemberStatusChanged(address indexed account, MemberStatus previousStatus, MemberStatus newStatus, uint48 at);
    /// @notice `partner` is on leave from `from` until `until` (exclusive) and asked `cover` (0: nobody)
    /// to cast their ballot. The cover holds it only from its {CoverAccepted}; until then the partner
    /// keeps their own ballot.
    event LeaveDeclared(address indexed partner, address indexed cover, uint256 leaveId, uint48 from, uint48 until);
    /// @notice `partner`'s leave `leaveId` ended early at `at`, and with it any cover of it (a lapse at
    /// the planned end emits nothing).
    event LeaveEnded(address indexed partner, address indexed cover, uint256 leaveId, uint48 at);
    /// @notice `cover` accepted to cast `partner`'s ballot from `at` until the leave ends.
    event CoverAccepted(address indexed partner, address indexed cover, uint256 leaveId, uint48 at);
    /// @notice `cover` stopped covering `partner` at `at` (stepped down, or left the firm) while the
    /// leave goes on: the ballot is the partner's own again.
    event CoverEnded(address indexed partner, address indexed cover, uint256 leaveId, uint48 at);
    /// @notice The leave rules for leaves declared from now on: a leave lasts at least `minLeave`
    /// seconds, and a partner waits `cooldown` seconds after one leave ends before declaring the next.
    event LeaveRulesChanged(uint48 minLeave, uint48 cooldown);
    /// @notice `account` withdrew from the firm: `units` vested units were burned out of `totalUnits`
    /// outstanding (granted, not forfeited or burned), and the withdrawal desk credits them that
    /// fraction of the treasury.
    event MemberWithdrew(address indexed account, uint64 units, uint64 totalUnits, uint48 at);


    /// @notice A grant was created for `beneficiary`: `units` vest linearly from `start` to
    /// `start + duration`, with nothing before `start + cliff`.
    event GrantCreated(
        uint256 indexed grantId,
        address indexed beneficiary,
        uint64 units,
        uint48 start,
        uint48 cliffEnd,
        uint48 end
    );
    /// @notice `amount` vested units of grant `grantId` were minted to its beneficiary.
    event GrantReleased(uint256 indexed grantId, address indexed beneficiary, uint64 amount, uint64 totalReleased);
    /// @notice Grant `grantId` was revoked at `at`; its `forfeited` unvested units are gone, the vested part stays.
    event GrantRevoked(uint256 indexed grantId, address indexed beneficiary, uint64 forfeited, uint48 at);
    /// @notice `amount` units of `account` were bought back and burned; `price` of `token` (0 = ETH) is owed to them.
    event UnitsBoughtBack(address indexed account, uint64 amount, address token, uint256 price);
    /// @notice A bought-back member withdrew what they were owed.
    event BuybackPaid(address indexed account, address token, uint256 amount);
    /// @notice A balance snapshot was taken for a distribution.
    event SnapshotTaken(uint256 indexed snapshotId, uint64 totalSupply, uint48 at);

    // ------------------------------------------------------------------------------------------
    // Errors: <Domain><Problem>(values).
    // ------------------------------------------------------------------------------------------

    /// @notice Only the governance timelock may call this.
    error PartnershipUnauthorized(address caller);
    /// @notice The address is zero or otherwise unusable.
    error PartnershipInvalidAccount(address account);
    /// @notice `account` is already a member.
    error MemberAlreadyAdmitted(address account);
    /// @notice `account` is not a member.
    error MemberUnknown(address account);
    /// @notice The role is not one a member can take here.
    error MemberInvalidRole(address account, Role role);
    /// @notice The status transition is not in the state machine.
    error MemberInvalidTransition(address account, MemberStatus from, MemberStatus to);
    /// @notice `account` is not an active partner.
    error MemberNotPartner(address account);
    /// @notice The leave end must be at least the minimum leave and at most {MAX_LEAVE} away.
    error LeaveInvalidUntil(uint48 until, uint48 minUntil, uint48 maxUntil);
    /// @notice `cover` cannot cover: it must be another active partner, not on leave and not covering.
    error LeaveInvalidCover(address cover);
    /// @notice `partner`'s last leave ended too recently: the next one may start at `availableAt`.
    error LeaveCooldown(address partner, uint48 availableAt);
    /// @notice The leave rules are out of range: a minimum leave up to {MAX_LEAVE}, a cooldown up to a year.
    error LeaveInvalidRules(uint48 minLeave, uint48 cooldown);
    /// @notice `cover` was not asked to cover `partner`'s leave in force, or already accepted it.
    error CoverNotRequested(address partner, address cover);
    /// @notice `cover` covers nobody now.
    error CoverNotCovering(address cover);
    /// @notice Only the withdrawal desk (holder of the timelock's WITHDRAWAL_ROLE) may call this.
    error PartnershipNotWithdrawalDesk(address caller);
    /// @notice `partner` is covering a colleague and cannot leave until that cover ends.
    error LeaveWhileCovering(address partner);
    /// @notice `partner` is not on leave.
    error LeaveNotOnLeave(address partner);
    /// @notice The grant's terms are invalid (zero units or duration, cliff beyond duration).
    error GrantInvalidTerms(uint64 units, uint32 cliff, uint32 duration);
    /// @notice No such grant.
    error GrantUnknown(uint256 grantId);
    /// @notice Nothing is releasable yet.
    error GrantNothingToRelease(uint256 grantId);
    /// @notice The grant is already revoked.
    error GrantAlreadyRevoked(uint256 grantId);
    /// @notice Equity units cannot be transferred, approved or delegated; leave cover replaces delegation.
    error EquityNonTransferable();
    /// @notice The timepoint is not in the past (ERC-5805 lookups need a past time).
    error EquityFutureLookup(uint256 timepoint, uint48 clock);
    /// @notice The ETH sent does not match the buy-back price.
    error BuybackValueMismatch(uint256 sent, uint256 price);
    /// @notice Nothing is owed to `account`.
    error BuybackNothingOwed(address account);
    /// @notice No snapshot has that id.
    error SnapshotUnknown(uint256 snapshotId);
    /// @notice A payment failed.
    error PartnershipPaymentFailed(address to, uint256 amount);
}
