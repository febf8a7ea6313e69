// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {IMemberSource} from "./interfaces/IMemberSource.sol";
import {IPartnership} from "./interfaces/IPartnership.sol";
import {IPractices} from "./interfaces/IPractices.sol";

/// @title Practices: the firm's areas of IT, who leads them and who belongs to them
/// @notice Practices are created, sunset and given a new lead by proposal. A client checks that a
/// technician belongs to a practice with the single view {membership}.
/// @dev Deployed by {Partnership}'s constructor. The partnership may seat a member it is admitting and
/// hand a retiring partner's leads to a successor, so admission and succession each stay one proposal.
contract Practices is IPractices {
    using Checkpoints for Checkpoints.Trace208;

    /// @notice Where member roles and statuses come from.
    IMemberSource public immutable partnership;
    /// @notice The governance timelock: the only account allowed to change practices.
    address public immutable governance;

    /// @dev One slot: lead 160 | status 8 | createdAt 40 | memberCount 32.
    struct Practice {
        address lead;
        PracticeStatus status;
        uint40 createdAt;
        uint32 memberCount;
    }

    /// @dev One slot: role 8 | since 40 | position 64 (1-based, in the member's seat list).
    struct Seat {
        IPartnership.PracticeRole role;
        uint40 since;
        uint64 position;
    }

    /// @notice The number of practices ever created; ordinals run from 1.
    uint256 public practiceCount;

    mapping(bytes32 practiceId => Practice) private _practices;
    mapping(bytes32 practiceId => string) private _slugs;
    mapping(bytes32 practiceId => string) private _names;
    mapping(uint256 ordinal => bytes32 practiceId) private _practiceAt;
    mapping(bytes32 practiceId => mapping(address account => Seat)) private _seats;
    /// @dev The practices `account` sits in, so a departure visits that member's seats and no others.
    mapping(address account => bytes32[]) private _seatsOf;
    /// @dev Each seat's role over time, so a closed month's practice pool is shared by the roles held
    /// when it closed, whatever changed since: one binary search per claim, no loop over members.
    mapping(bytes32 practiceId => mapping(address account => Checkpoints.Trace208)) private _roleHistory;
    /// @dev Each practice's seat counts over time, packed leads 64 | members 64 | technicians 64
    /// (low to high), for the pool's total weight.
    mapping(bytes32 practiceId => Checkpoints.Trace208) private _roleCounts;

    modifier onlyGovernance() {
        if (msg.sender != governance) revert PracticesUnauthorized(msg.sender);
        _;
    }

    modifier onlyPartnership() {
        if (msg.sender != address(partnership)) revert PracticesUnauthorized(msg.sender);
        _;
    }

    constructor(IMemberSource partnership_, address governance_) {
        partnership = partnership_;
        governance = governance_;
    }

    /// @notice Creates a practice under a unique `slug`, led by the active partner `lead`.
    /// @dev Emits {PracticeCreated} and {PracticeMemberSet} for the lead.
    /// Requirements: caller is the timelock; `slug` is 1-32 of [a-z0-9-] and was never used; the
    /// name is 1-64 bytes; `lead` is an active partner.
    function createPractice(string calldata slug, string calldata practiceName, address lead) external onlyGovernance {
        _validateSlug(slug);
        bytes32 id = keccak256(bytes(slug));
        if (_practices[id].status != PracticeStatus.None) revert PracticeSlugTaken(slug);
        if (bytes(practiceName).length == 0 || bytes(practiceName).length > 64) revert PracticeNameInvalid(practiceName);
        if (!partnership.isActivePartner(lead)) revert PracticeLeadNotPartner(lead);
        _practices[id] = Practice({lead: lead, status: PracticeStatus.Active, createdAt: uint40(block.timestamp), memberCount: 0});
        _slugs[id] = slug;
        _names[id] = practiceName;
        _practiceAt[++practiceCount] = id;
        emit PracticeCreated(id, slug, practiceName, lead, uint48(block.timestamp));
        _seat(id, lead, IPartnership.PracticeRole.Lead);
    }

    /// @notice Sunsets a practice. Its members stop being verified members of it; the slug stays taken.
    /// @dev Emits {PracticeSunset}. Requirements: caller is the timelock; the practice is active.
    function sunsetPractice(string calldata slug) external onlyGovernance {
        bytes32 id = _activePracticeId(slug);
        _practices[id].status = PracticeStatus.Sunset;
        emit PracticeSunset(id, uint48(block.timestamp));
    }

    /// @notice Gives a practice a new lead, an active partner.
    /// @dev Emits {PracticeLeadChanged} and {PracticeMemberSet}. The previous lead stays a member.
    /// Requirements: caller is the timelock; the practice is active; `newLead` is an active partner.
    function changePracticeLead(string calldata slug, address newLead) external onlyGovernance {
        bytes32 id = _activePracticeId(slug);
        if (!partnership.isActivePartner(newLead)) revert PracticeLeadNotPartner(newLead);
        _changeLead(id, newLead);
    }

    /// @notice Seats `account` in a practice with `role`, or changes its role there.
    /// @dev Emits {PracticeMemberSet}. Requirements: caller is the timelock; the practice is active;
    /// `account` is an active member and not the lead; `role` is Member or Technician.
    function setPracticeMember(
        string calldata slug,
        address account,
        IPartnership.PracticeRole role
    ) external onlyGovernance {
        bytes32 id = _activePracticeId(slug);
        if (
            (role != IPartnership.PracticeRole.Member && role != IPartnership.PracticeRole.Technician) ||
            _practices[id].lead == account
        ) revert PracticeInvalidRole(account, role);
        _seat(id, account, role);
    }

    /// @notice Takes `account` out of a practice.
    /// @dev Emits {PracticeMemberRemoved}. Requirements: caller is the timelock; `account` is in the
    /// practice and is not its lead.
    function removePracticeMember(string calldata slug, address account) external onlyGovernance {
        bytes32 id = keccak256(bytes(slug));
        if (_seats[id][account].role == IPartnership.PracticeRole.None) revert PracticeNotMember(id, account);
        if (_practices[id].lead == account) revert PracticeInvalidRole(account, IPartnership.PracticeRole.Lead);
        _unseat(id, account);
    }

    /// @notice Seats a member the partnership is admitting, as part of the admission proposal.
    /// @dev Requirements: caller is the partnership; the practice is active; the role is not Lead
    /// (None means Member).
    function seatNewMember(
        string calldata slug,
        address account,
        IPartnership.PracticeRole role
    ) external onlyPartnership {
        bytes32 id = _activePracticeId(slug);
        if (role == IPartnership.PracticeRole.Lead) revert PracticeInvalidRole(account, role);
        _seat(id, account, role == IPartnership.PracticeRole.None ? IPartnership.PracticeRole.Member : role);
    }

    /// @notice Takes departing `account` out of every practice it sits in, first handing each active
    /// practice it leads to `successor` (0: leaves it explicitly without a lead). A departed member
    /// keeps no seat, so no practice pool closed after the departure counts them, and a practice never
    /// names a departed lead.
    /// @dev Emits {PracticeLeadChanged} and {Succession} per practice handed over, and
    /// {PracticeMemberRemoved} per seat. The loop visits only this member's seats (at most the number of
    /// practices governance created); a member without seats costs one read.
    /// Requirements: caller is the partnership (which checked `successor` is an active partner).
    function releaseDeparted(address account, address successor) external onlyPartnership {
        bytes32[] storage seats = _seatsOf[account];
        for (uint256 n = seats.length; n != 0; --n) {
            bytes32 id = seats[n - 1];
            Practice storage p = _practices[id];
            if (p.lead == account && p.status == PracticeStatus.Active) {
                _changeLead(id, successor);
                if (successor != address(0)) emit Succession(account, successor, id, uint48(block.timestamp));
            }
            _unseat(id, account);
        }
    }

    /// @notice The single check a client needs: is `account` a member of practice `slug` right now,
    /// with what firm role, status and practice role, and since when.
    /// @dev `isMember` is true while the practice is active, the account has a seat in it, and the
    /// account is active or on leave in the firm.
    function membership(string calldata slug, address account) external view returns (Membership memory r) {
        bytes32 id = keccak256(bytes(slug));
        Seat memory seat = _seats[id][account];
        uint48 since;
        (r.role, r.status, , since, , ) = partnership.memberOf(account);
        r.practiceRole = seat.role;
        r.memberSince = since;
        r.practiceSince = seat.since;
        r.isMember =
            _practices[id].status == PracticeStatus.Active &&
            seat.role != IPartnership.PracticeRole.None &&
            (r.status == IPartnership.MemberStatus.Active || r.status == IPartnership.MemberStatus.OnLeave);
    }

    /// @notice A practice by slug.
    function practice(
        string calldata slug
    )
        external
        view
        returns (bytes32 id, string memory name, address lead, PracticeStatus status, uint48 createdAt, uint256 memberCount)
    {
        id = keccak256(bytes(slug));
        Practice memory p = _practices[id];
        return (id, _names[id], p.lead, p.status, p.createdAt, p.memberCount);
    }

    /// @notice The slug of the `ordinal`-th practice created (from 1).
    function practiceSlugAt(uint256 ordinal) external view returns (string memory) {
        return _slugs[_practiceAt[ordinal]];
    }

    /// @notice `account`'s role in practice `practiceId` at `timepoint` (a timestamp; None if not seated then).
    function roleAt(bytes32 practiceId, address account, uint256 timepoint) external view returns (IPartnership.PracticeRole) {
        return IPartnership.PracticeRole(_roleHistory[practiceId][account].upperLookupRecent(uint48(timepoint)));
    }

    /// @notice How many seats of each role practice `practiceId` had at `timepoint` (a timestamp).
    function roleCountsAt(
        bytes32 practiceId,
        uint256 timepoint
    ) external view returns (uint256 leads, uint256 members, uint256 technicians) {
        uint256 packed = _roleCounts[practiceId].upperLookupRecent(uint48(timepoint));
        return (uint64(packed), uint64(packed >> 64), uint64(packed >> 128));
    }

    /// @notice `account`'s role in practice `practiceId` and since when (None if not seated).
    function seatOf(bytes32 practiceId, address account) external view returns (IPartnership.PracticeRole role, uint48 since) {
        Seat memory s = _seats[practiceId][account];
        return (s.role, s.since);
    }

    function _activePracticeId(string calldata slug) private view returns (bytes32 id) {
        id = keccak256(bytes(slug));
        if (_practices[id].status != PracticeStatus.Active) revert PracticeNotActive(id);
    }

    function _seat(bytes32 id, address account, IPartnership.PracticeRole role) private {
        (, IPartnership.MemberStatus status, , , , ) = partnership.memberOf(account);
        if (status != IPartnership.MemberStatus.Active && status != IPartnership.MemberStatus.OnLeave) {
            revert PracticeMemberNotActive(account);
        }
        Seat storage seat = _seats[id][account];
        if (seat.role == IPartnership.PracticeRole.None) {
            ++_practices[id].memberCount;
            seat.since = uint40(block.timestamp);
            _seatsOf[account].push(id);
            seat.position = uint64(_seatsOf[account].length);
        }
        _recordRole(id, account, seat.role, role);
        seat.role = role;
        emit PracticeMemberSet(id, account, role, uint48(block.timestamp));
    }

    /// @dev Swap-and-pop keeps the member's seat list dense, so removal costs the same at any position.
    function _unseat(bytes32 id, address account) private {
        Seat memory seat = _seats[id][account];
        _recordRole(id, account, seat.role, IPartnership.PracticeRole.None);
        bytes32[] storage seats = _seatsOf[account];
        bytes32 last = seats[seats.length - 1];
        if (last != id) {
            seats[seat.position - 1] = last;
            _seats[last][account].position = seat.position;
        }
        seats.pop();
        delete _seats[id][account];
        --_practices[id].memberCount;
        emit PracticeMemberRemoved(id, account, uint48(block.timestamp));
    }

    /// @dev Appends the seat's new role and the practice's new role counts to their histories.
    function _recordRole(bytes32 id, address account, IPartnership.PracticeRole from, IPartnership.PracticeRole to) private {
        if (from == to) return;
        uint48 now_ = uint48(block.timestamp);
        _roleHistory[id][account].push(now_, uint208(uint8(to)));
        Checkpoints.Trace208 storage counts = _roleCounts[id];
        uint256 packed = counts.latest();
        if (from != IPartnership.PracticeRole.None) packed -= uint256(1) << (64 * (uint8(from) - 1));
        if (to != IPartnership.PracticeRole.None) packed += uint256(1) << (64 * (uint8(to) - 1));
        counts.push(now_, uint208(packed));
    }

    /// @dev A zero `newLead` leaves the practice without a lead (the previous one departed).
    function _changeLead(bytes32 id, address newLead) private {
        Practice storage p = _practices[id];
        address previous = p.lead;
        p.lead = newLead;
        emit PracticeLeadChanged(id, previous, newLead, uint48(block.timestamp));
        if (previous != address(0) && _seats[id][previous].role == IPartnership.PracticeRole.Lead) {
            _recordRole(id, previous, IPartnership.PracticeRole.Lead, IPartnership.PracticeRole.Member);
            _seats[id][previous].role = IPartnership.PracticeRole.Member;
            emit PracticeMemberSet(id, previous, IPartnership.PracticeRole.Member, uint48(block.timestamp));
        }
        if (newLead == address(0)) return;
        _seat(id, newLead, IPartnership.PracticeRole.Lead);
    }

    /// @dev Slugs are URL- and CLI-safe: 1-32 of [a-z0-9-].
    function _validateSlug(string calldata slug) private pure {
        bytes calldata b = bytes(slug);
        if (b.length == 0 || b.length > 32) revert PracticeSlugInvalid(slug);
        for (uint256 i = 0; i < b.length; ++i) {
            bytes1 ch = b[i];
            bool ok = (ch >= 0x61 && ch <= 0x7a) || (ch >= 0x30 && ch <= 0x39) || ch == 0x2d;
            if (!ok) revert PracticeSlugInvalid(slug);
        }
    }
}
