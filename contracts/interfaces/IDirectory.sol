// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title The talent directory's types, events and errors
/// @notice Shared by {Directory} (each member's public profile and the firm's mentor links), its
/// callers and the indexer that rebuilds the directory from these events alone.
/// @dev A profile's text lives only in {ProfileSet}'s data: storage keeps one packed slot and the
/// hash of the text, so a mirror (and `firm audit`) can prove it holds the record the chain holds,
/// and a typical record costs under 120,000 gas to publish. Records are public and permanent in the
/// chain's history: clearing one hides it from every mirror, it does not erase the old events.
interface IDirectory {
    /// @notice Where a member works.
    enum WorkMode {
        None,
        OnSite,
        Remote,
        Both
    }

    /// @notice The fields a member publishes, as given to {Directory-setProfile}.
    /// @dev Bounds, each refused with {ProfileFieldInvalid} naming the field:
    /// - `displayName`: 1 to 64 bytes;
    /// - `skills`: at most 8 tags, each 1 to 32 bytes of lowercase a-z, 0-9, '-', '+', '.', '#';
    /// - `workMode`: OnSite, Remote or Both (not None);
    /// - `region`: an ISO 3166-2 code, two uppercase letters, '-', then 1 to 3 uppercase letters or
    ///   digits ("CA-QC"), or empty for a remote-only member;
    /// - `city`: at most 64 bytes;
    /// - coordinates, only when `hasCoordinates`: latitude and longitude in hundredths of a degree
    ///   (about 1.1 km, the rounding the privacy rule asks for), -9000..9000 and -18000..18000;
    /// - `radiusKm`: at most 1000, and 0 unless the member works on site;
    /// - `contactUrl`: empty, or http:// or https:// followed by 1 to 200 bytes with no spaces or
    ///   control characters.
    struct ProfileFields {
        string displayName;
        string[] skills;
        WorkMode workMode;
        string region;
        string city;
        bool hasCoordinates;
        int16 latitudeE2;
        int16 longitudeE2;
        uint16 radiusKm;
        string contactUrl;
    }

    /// @notice `member` published their profile (replacing any earlier one). Every field is here, so
    /// the indexer needs no call to rebuild it. `contentHash` is what {Directory-profileOf} returns.
    event ProfileSet(
        address indexed member,
        string displayName,
        string[] skills,
        WorkMode workMode,
        string region,
        string city,
        bool hasCoordinates,
        int16 latitudeE2,
        int16 longitudeE2,
        uint16 radiusKm,
        string contactUrl,
        bytes32 contentHash,
        uint48 at
    );
    /// @notice `member`'s profile is gone: cleared by themselves, by governance (with its reason),
    /// or by anyone once the member departed (reason "departed").
    event ProfileCleared(address indexed member, address indexed by, string reason, uint48 at);
    /// @notice Partner `mentor` offered to mentor associate `mentee`; the offer stands until accepted or withdrawn.
    event MentorshipOffered(address indexed mentor, address indexed mentee, uint48 at);
    /// @notice `mentor` withdrew the offer to `mentee`.
    event MentorshipOfferWithdrawn(address indexed mentor, address indexed mentee, uint48 at);
    /// @notice `mentor` now mentors `mentee`: the mentee accepted an offer, or governance assigned it
    /// (as part of an admission). Any earlier mentor of `mentee` is ended first ({MentorshipEnded}).
    event MentorshipStarted(address indexed mentor, address indexed mentee, uint48 at);
    /// @notice The link ended, by `by`: the mentor, the mentee, governance, or anyone once either departed.
    event MentorshipEnded(address indexed mentor, address indexed mentee, address indexed by, uint48 at);

    /// @notice Only the governance timelock may call this.
    error DirectoryUnauthorized(address caller);
    /// @notice `account` is not an active member (or on leave) of the firm.
    error DirectoryNotMember(address account);
    /// @notice A field is out of bounds. `field` names it ("displayName", "skills", "skill",
    /// "workMode", "region", "city", "latitude", "longitude", "radiusKm", "contactUrl", "reason").
    error ProfileFieldInvalid(string field);
    /// @notice `member` has no live profile to clear.
    error ProfileNotFound(address member);
    /// @notice `member` is still an active member: only they or governance may clear their profile.
    error ProfileOwnerStillMember(address member);
    /// @notice A mentor must be an active partner, and a mentee an active associate, and not the same account.
    error MentorshipInvalid(address mentor, address mentee);
    /// @notice No standing offer from `mentor` to `mentee`.
    error MentorshipOfferNotFound(address mentor, address mentee);
    /// @notice `mentee` has no mentor, or `caller` may not end that link.
    error MentorshipNotFound(address mentee, address caller);

    /// @notice What storage keeps of a profile. `live` is false when none was set, it was cleared,
    /// or its member departed (read live from the partnership, with no transaction).
    function profileOf(
        address member
    )
        external
        view
        returns (bool live, WorkMode workMode, bool hasCoordinates, int16 latitudeE2, int16 longitudeE2, uint16 radiusKm, uint48 updatedAt, bytes32 contentHash);

    /// @notice `mentee`'s mentor, or zero.
    function mentorOf(address mentee) external view returns (address);
}
