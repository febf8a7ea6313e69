// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IDirectory} from "./interfaces/IDirectory.sol";
import {IMemberSource} from "./interfaces/IMemberSource.sol";
import {IPartnership} from "./interfaces/IPartnership.sol";

/// @title Directory: each member's public profile and the firm's mentor links
/// @notice A member publishes where and how they work (name, skills, work mode, region, city, optional
/// coordinates rounded to about 1 km, on-site radius, contact URL) so that clients can find a
/// technician near them, and a partner mentors an associate by mutual consent or by the proposal that
/// admits the associate. Profiles are public and permanent in the chain's history: clearing one hides
/// it from every mirror, it does not erase the old events.
/// @dev The text of a profile lives only in {ProfileSet}'s data; storage keeps one packed slot and the
/// hash of the fields, so a typical record costs under 120,000 gas to publish (measured by
/// `npm run bench:gas`). Whether a member is still in the firm is read live from the partnership, so a
/// departed member's profile stops being live with no transaction. Nothing here loops over members or
/// history: every function touches a fixed number of slots, and the loops over a profile's bytes are
/// bounded by the field limits (at most 64 + 8 * 32 + 6 + 64 + 207 bytes).
contract Directory is IDirectory {
    /// @notice The most skill tags a profile lists.
    uint256 public constant MAX_SKILLS = 8;
    /// @notice The longest skill tag, in bytes.
    uint256 public constant MAX_SKILL_BYTES = 32;
    /// @notice The longest display name and city, in bytes.
    uint256 public constant MAX_TEXT_BYTES = 64;
    /// @notice The longest contact URL after its scheme ("https://"), in bytes.
    uint256 public constant MAX_URL_REST_BYTES = 200;
    /// @notice The longest reason governance gives for clearing a profile, in bytes.
    uint256 public constant MAX_REASON_BYTES = 200;
    /// @notice The widest on-site radius, in km (about the width of Quebec's inhabited south).
    uint16 public constant MAX_RADIUS_KM = 1000;
    /// @notice The largest latitude, in hundredths of a degree (90.00°).
    int16 public constant MAX_LATITUDE_E2 = 9000;
    /// @notice The largest longitude, in hundredths of a degree (180.00°).
    int16 public constant MAX_LONGITUDE_E2 = 18000;

    /// @dev Byte classes as 256-bit masks, bit c set when byte c is allowed: text is anything but a
    /// control character (0x00-0x1f, 0x7f); a URL also refuses the space (0x20).
    uint256 private constant TEXT_BYTES = (type(uint256).max << 0x20) & ~(uint256(1) << 0x7f);
    uint256 private constant URL_BYTES = TEXT_BYTES & ~(uint256(1) << 0x20);
    uint256 private constant DIGIT_BYTES = ((uint256(1) << 10) - 1) << 0x30;
    uint256 private constant UPPER_BYTES = ((uint256(1) << 26) - 1) << 0x41;
    uint256 private constant UPPER_OR_DIGIT_BYTES = UPPER_BYTES | DIGIT_BYTES;
    /// @dev a-z, 0-9, '#' (0x23), '+' (0x2b), '-' (0x2d), '.' (0x2e).
    uint256 private constant SKILL_BYTES =
        (((uint256(1) << 26) - 1) << 0x61) |
            DIGIT_BYTES |
            (uint256(1) << 0x23) |
            (uint256(1) << 0x2b) |
            (uint256(1) << 0x2d) |
            (uint256(1) << 0x2e);

    /// @notice The partnership whose members may publish, read live for every check.
    IMemberSource public immutable partnership;
    /// @notice The governance timelock: it clears abusive profiles and assigns mentors.
    address public immutable timelock;

    /// @dev One slot: live 8 | workMode 8 | hasCoordinates 8 | latitudeE2 16 | longitudeE2 16 |
    /// radiusKm 16 | updatedAt 48 (120 bits). `live` is the stored flag; {profileOf} also asks the
    /// partnership whether the member is still in the firm.
    struct Profile {
        bool live;
        WorkMode workMode;
        bool hasCoordinates;
        int16 latitudeE2;
        int16 longitudeE2;
        uint16 radiusKm;
        uint48 updatedAt;
    }

    mapping(address member => Profile) private _profiles;
    mapping(address member => bytes32) private _contentHashes;
    mapping(address mentee => address mentor) private _mentors;
    mapping(address mentor => mapping(address mentee => bool)) private _offers;

    modifier onlyGovernance() {
        if (msg.sender != timelock) revert DirectoryUnauthorized(msg.sender);
        _;
    }

    /// @param partnership_ The partnership whose members may publish.
    /// @param timelock_ The governance timelock.
    constructor(IMemberSource partnership_, address timelock_) {
        partnership = partnership_;
        timelock = timelock_;
    }

    // ==========================================================================================
    // Profiles
    // ==========================================================================================

    /// @notice Publishes the caller's profile, replacing any earlier one.
    /// @dev Emits {ProfileSet} with every field and `contentHash = keccak256(abi.encode(fields))`.
    /// Requirements: the caller is a member who is active or on leave ({DirectoryNotMember}); every
    /// field is within the bounds documented on {IDirectory-ProfileFields} ({ProfileFieldInvalid}).
    function setProfile(ProfileFields calldata fields) external {
        if (!_isPresent(msg.sender)) revert DirectoryNotMember(msg.sender);
        _validate(fields);
        ProfileFields memory copy = fields;
        bytes32 contentHash = keccak256(abi.encode(copy));
        _profiles[msg.sender] = Profile({
            live: true,
            workMode: fields.workMode,
            hasCoordinates: fields.hasCoordinates,
            latitudeE2: fields.latitudeE2,
            longitudeE2: fields.longitudeE2,
            radiusKm: fields.radiusKm,
            updatedAt: uint48(block.timestamp)
        });
        _contentHashes[msg.sender] = contentHash;
        _emitProfileSet(copy, contentHash);
    }

    /// @notice Clears the caller's own profile (even after they left the firm).
    /// @dev Emits {ProfileCleared} with an empty reason. Requirements: the caller has a profile ({ProfileNotFound}).
    function clearProfile() external {
        _clear(msg.sender, "");
    }

    /// @notice Clears an abusive profile, by proposal.
    /// @dev Emits {ProfileCleared} with `reason`. Requirements: the caller is the timelock
    /// ({DirectoryUnauthorized}); `reason` is 1 to 200 bytes ({ProfileFieldInvalid} "reason"); `member`
    /// has a profile ({ProfileNotFound}).
    function clearProfileByGovernance(address member, string calldata reason) external onlyGovernance {
        uint256 n = bytes(reason).length;
        if (n == 0 || n > MAX_REASON_BYTES) revert ProfileFieldInvalid("reason");
        _clear(member, reason);
    }

    /// @notice Clears the profile of a member who left the firm: anyone may tidy the directory's mirrors.
    /// @dev Emits {ProfileCleared} with reason "departed". Requirements: `member` has a profile
    /// ({ProfileNotFound}) and is Retired or Removed ({ProfileOwnerStillMember}).
    function removeDepartedProfile(address member) external {
        if (!_profiles[member].live) revert ProfileNotFound(member);
        if (!_hasDeparted(member)) revert ProfileOwnerStillMember(member);
        _clear(member, "departed");
    }

    /// @inheritdoc IDirectory
    /// @dev The other fields are returned as stored even when `live` is false because the member departed.
    function profileOf(
        address member
    )
        external
        view
        returns (
            bool live,
            WorkMode workMode,
            bool hasCoordinates,
            int16 latitudeE2,
            int16 longitudeE2,
            uint16 radiusKm,
            uint48 updatedAt,
            bytes32 contentHash
        )
    {
        Profile memory p = _profiles[member];
        live = p.live && _isPresent(member);
        workMode = p.workMode;
        hasCoordinates = p.hasCoordinates;
        latitudeE2 = p.latitudeE2;
        longitudeE2 = p.longitudeE2;
        radiusKm = p.radiusKm;
        updatedAt = p.updatedAt;
        contentHash = _contentHashes[member];
    }

    // ==========================================================================================
    // Mentors
    // ==========================================================================================

    /// @notice The caller, a partner, offers to mentor associate `mentee`.
    /// @dev Emits {MentorshipOffered}. Requirements ({MentorshipInvalid}): the caller is an active
    /// partner (or on leave); `mentee` is an active associate; they differ; no offer from the caller to
    /// `mentee` stands and the caller is not already `mentee`'s mentor.
    function offerMentorship(address mentee) external {
        _checkPair(msg.sender, mentee);
        if (_offers[msg.sender][mentee]) revert MentorshipInvalid(msg.sender, mentee);
        _offers[msg.sender][mentee] = true;
        emit MentorshipOffered(msg.sender, mentee, uint48(block.timestamp));
    }

    /// @notice Withdraws the caller's standing offer to `mentee`.
    /// @dev Emits {MentorshipOfferWithdrawn}. Requirements: the offer stands ({MentorshipOfferNotFound}).
    function withdrawMentorshipOffer(address mentee) external {
        if (!_offers[msg.sender][mentee]) revert MentorshipOfferNotFound(msg.sender, mentee);
        delete _offers[msg.sender][mentee];
        emit MentorshipOfferWithdrawn(msg.sender, mentee, uint48(block.timestamp));
    }

    /// @notice The caller, an associate, accepts `mentor`'s standing offer; the offer is used up.
    /// @dev Emits {MentorshipEnded} for any earlier mentor, then {MentorshipStarted}. Requirements: the
    /// offer stands ({MentorshipOfferNotFound}); `mentor` is still an active partner and the caller an
    /// active associate ({MentorshipInvalid}).
    function acceptMentorship(address mentor) external {
        if (!_offers[mentor][msg.sender]) revert MentorshipOfferNotFound(mentor, msg.sender);
        _checkPair(mentor, msg.sender);
        _start(mentor, msg.sender);
    }

    /// @notice Assigns `mentor` to `mentee` by proposal, typically in the same proposal that admits
    /// the associate (Partnership.admit then this, executed in one batch, so the mentee is already an
    /// active associate here).
    /// @dev Emits {MentorshipEnded} for any earlier mentor, then {MentorshipStarted}; a standing offer
    /// from `mentor` to `mentee` is used up. Requirements: the caller is the timelock
    /// ({DirectoryUnauthorized}); the pair is valid as for {offerMentorship} ({MentorshipInvalid}).
    function assignMentor(address mentee, address mentor) external onlyGovernance {
        _checkPair(mentor, mentee);
        _start(mentor, mentee);
    }

    /// @notice Ends `mentee`'s mentorship.
    /// @dev Emits {MentorshipEnded}. Requirements ({MentorshipNotFound}): `mentee` has a mentor; the
    /// caller is that mentor, the mentee or the timelock, or either of them has left the firm (then
    /// anyone may end it, as anyone may remove a departed member's profile).
    function endMentorship(address mentee) external {
        address mentor = _mentors[mentee];
        if (mentor == address(0)) revert MentorshipNotFound(mentee, msg.sender);
        if (msg.sender != mentor && msg.sender != mentee && msg.sender != timelock) {
            if (!_hasDeparted(mentor) && !_hasDeparted(mentee)) revert MentorshipNotFound(mentee, msg.sender);
        }
        delete _mentors[mentee];
        emit MentorshipEnded(mentor, mentee, msg.sender, uint48(block.timestamp));
    }

    /// @inheritdoc IDirectory
    function mentorOf(address mentee) external view returns (address) {
        return _mentors[mentee];
    }

    /// @notice Whether `mentor`'s offer to `mentee` stands (made, not yet accepted, assigned or withdrawn).
    function mentorshipOffered(address mentor, address mentee) external view returns (bool) {
        return _offers[mentor][mentee];
    }

    // ==========================================================================================
    // Internals
    // ==========================================================================================

    function _clear(address member, string memory reason) private {
        if (!_profiles[member].live) revert ProfileNotFound(member);
        delete _profiles[member];
        delete _contentHashes[member];
        emit ProfileCleared(member, msg.sender, reason, uint48(block.timestamp));
    }

    function _start(address mentor, address mentee) private {
        address previous = _mentors[mentee];
        uint48 now_ = uint48(block.timestamp);
        if (previous != address(0)) emit MentorshipEnded(previous, mentee, msg.sender, now_);
        delete _offers[mentor][mentee];
        _mentors[mentee] = mentor;
        emit MentorshipStarted(mentor, mentee, now_);
    }

    /// @dev A mentor is a partner who is active or on leave; a mentee an active associate (associates
    /// take no leave); and they differ. An existing link between them is refused too.
    function _checkPair(address mentor, address mentee) private view {
        (IPartnership.Role role, IPartnership.MemberStatus status, , , , ) = partnership.memberOf(mentee);
        if (
            mentor == mentee ||
            role != IPartnership.Role.Associate ||
            status != IPartnership.MemberStatus.Active ||
            !partnership.isActivePartner(mentor) ||
            _mentors[mentee] == mentor
        ) revert MentorshipInvalid(mentor, mentee);
    }

    /// @dev Active or on leave: the statuses whose profile is live.
    function _isPresent(address account) private view returns (bool) {
        (, IPartnership.MemberStatus status, , , , ) = partnership.memberOf(account);
        return status == IPartnership.MemberStatus.Active || status == IPartnership.MemberStatus.OnLeave;
    }

    /// @dev Retired or Removed, both final.
    function _hasDeparted(address account) private view returns (bool) {
        (, IPartnership.MemberStatus status, , , , ) = partnership.memberOf(account);
        return status == IPartnership.MemberStatus.Retired || status == IPartnership.MemberStatus.Removed;
    }

    /// @dev From memory: calldata strings take two stack slots each, too many for one emit of 13 fields
    /// under the legacy pipeline; one copy serves both the hash and the event.
    function _emitProfileSet(ProfileFields memory f, bytes32 contentHash) private {
        emit ProfileSet(
            msg.sender,
            f.displayName,
            f.skills,
            f.workMode,
            f.region,
            f.city,
            f.hasCoordinates,
            f.latitudeE2,
            f.longitudeE2,
            f.radiusKm,
            f.contactUrl,
            contentHash,
            uint48(block.timestamp)
        );
    }

    /// @dev Every bound of {IDirectory-ProfileFields}, in field order, each refusal naming its field.
    function _validate(ProfileFields calldata f) private pure {
        _checkText(f.displayName, 1, "displayName");
        uint256 skillCount = f.skills.length;
        if (skillCount > MAX_SKILLS) revert ProfileFieldInvalid("skills");
        for (uint256 i = 0; i < skillCount; ++i) _checkSkill(f.skills[i]);
        WorkMode mode = f.workMode;
        if (mode == WorkMode.None) revert ProfileFieldInvalid("workMode");
        _checkRegion(f.region);
        _checkText(f.city, 0, "city");
        if (f.hasCoordinates) {
            if (f.latitudeE2 > MAX_LATITUDE_E2 || f.latitudeE2 < -MAX_LATITUDE_E2) revert ProfileFieldInvalid("latitude");
            if (f.longitudeE2 > MAX_LONGITUDE_E2 || f.longitudeE2 < -MAX_LONGITUDE_E2) revert ProfileFieldInvalid("longitude");
        } else {
            // No hidden coordinates: what is not published must be zero, so the hash commits to nothing more.
            if (f.latitudeE2 != 0) revert ProfileFieldInvalid("latitude");
            if (f.longitudeE2 != 0) revert ProfileFieldInvalid("longitude");
        }
        if (f.radiusKm > MAX_RADIUS_KM || (f.radiusKm != 0 && mode == WorkMode.Remote)) revert ProfileFieldInvalid("radiusKm");
        _checkUrl(f.contactUrl);
    }

    /// @dev `minBytes` to 64 bytes, with no control character (0x00-0x1f, 0x7f); other bytes (UTF-8) pass.
    function _checkText(string calldata s, uint256 minBytes, string memory field) private pure {
        uint256 n = bytes(s).length;
        if (n < minBytes || n > MAX_TEXT_BYTES || !_allIn(bytes(s), 0, TEXT_BYTES)) revert ProfileFieldInvalid(field);
    }

    /// @dev 1 to 32 bytes of a-z, 0-9, '-', '+', '.', '#'.
    function _checkSkill(string calldata s) private pure {
        uint256 n = bytes(s).length;
        if (n == 0 || n > MAX_SKILL_BYTES || !_allIn(bytes(s), 0, SKILL_BYTES)) revert ProfileFieldInvalid("skill");
    }

    /// @dev Empty, or ISO 3166-2: two uppercase letters, '-', then 1 to 3 uppercase letters or digits.
    function _checkRegion(string calldata s) private pure {
        bytes calldata b = bytes(s);
        uint256 n = b.length;
        if (n == 0) return;
        if (n < 4 || n > 6 || b[2] != "-" || !_allIn(b[:2], 0, UPPER_BYTES) || !_allIn(b, 3, UPPER_OR_DIGIT_BYTES)) {
            revert ProfileFieldInvalid("region");
        }
    }

    /// @dev Empty, or "http://" or "https://" then 1 to 200 bytes with no space or control character.
    function _checkUrl(string calldata s) private pure {
        bytes calldata b = bytes(s);
        uint256 n = b.length;
        if (n == 0) return;
        uint256 start;
        if (n > 8 && bytes8(b[:8]) == "https://") start = 8;
        else if (n > 7 && bytes7(b[:7]) == "http://") start = 7;
        else revert ProfileFieldInvalid("contactUrl");
        if (n - start > MAX_URL_REST_BYTES || !_allIn(b, start, URL_BYTES)) revert ProfileFieldInvalid("contactUrl");
    }

    /// @dev Whether every byte of `b` from `from` on has its bit set in `allowed` (bit c for byte c).
    /// One calldataload and a shift per byte, with no bounds check: the caller's `b` was bounds-checked
    /// by the ABI decoder. About 20 gas a byte against about 100 for indexed access with the legacy
    /// pipeline, which keeps a typical record under its 120,000-gas budget.
    function _allIn(bytes calldata b, uint256 from, uint256 allowed) private pure returns (bool ok) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            ok := 1
            let end := add(b.offset, b.length)
            for {
                let p := add(b.offset, from)
            } lt(p, end) {
                p := add(p, 1)
            } {
                if iszero(and(shr(byte(0, calldataload(p)), allowed), 1)) {
                    ok := 0
                    break
                }
            }
        }
    }
}
