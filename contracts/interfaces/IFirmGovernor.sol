// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title The firm governor's functions, events and errors beyond OpenZeppelin's IGovernor
/// @notice Shared by the contract, its callers (the tests call the governor through it: it compiles
/// only with the IR pipeline, so they cannot import it) and the indexer that rebuilds state from
/// these events.
interface IFirmGovernor {
    /// @notice `cover` cast the ballot of `partner` (on leave at the snapshot) with `weight` units;
    /// `alsoSelf` says whether the same call also cast the cover's own ballot. Emitted beside
    /// {IGovernor-VoteCast}, whose weight is the sum of both.
    event VoteCastByCover(
        uint256 indexed proposalId,
        address indexed cover,
        address indexed partner,
        uint8 support,
        uint256 weight,
        bool alsoSelf
    );
    /// @notice `subject` (the member a proposal admits, promotes, retires, removes or claws back from)
    /// casts no ballot on it: neither their own nor one they cover.
    event VoterRecused(uint256 indexed proposalId, address indexed subject);
    /// @notice The supermajority an expulsion needs (of all the other partners, by equity and by
    /// headcount), for proposals whose snapshot is at or after the new rule's start.
    event ExpulsionQuorumChanged(uint16 oldEquityBps, uint16 oldHeadcountBps, uint16 newEquityBps, uint16 newHeadcountBps);
    /// @notice A changed proposal rule (quorums, expulsion quorums, grace period) applies to proposals
    /// whose snapshot is at or after `since`: later than every existing proposal's snapshot, so no
    /// proposal's rule ever changes after it is made.
    event ProposalRuleScheduled(uint256 indexed ruleIndex, uint48 since);
    /// @notice The two quorums for proposals made from now on.
    event QuorumChanged(uint16 oldEquityBps, uint16 oldHeadcountBps, uint16 newEquityBps, uint16 newHeadcountBps);
    /// @notice The voting delay for proposals made from now on.
    event VotingDelaySet(uint256 oldVotingDelay, uint256 newVotingDelay);
    /// @notice The voting period for proposals made from now on.
    event VotingPeriodSet(uint256 oldVotingPeriod, uint256 newVotingPeriod);
    /// @notice How long a queued proposal stays executable after its eta.
    event GracePeriodSet(uint256 oldGracePeriod, uint256 newGracePeriod);

    /// @notice `voter` is the subject of the proposal and casts no ballot on it, their own or one they cover.
    error GovernorVoterRecused(uint256 proposalId, address voter);
    /// @notice `voter`'s ballot at the snapshot was held by `cover`, who accepted to cover their leave.
    error GovernorBallotHeldByCover(address voter, address cover);
    /// @notice An expulsion (remove, retire or a grant claw-back of a partner) must be the proposal's
    /// only action; this one has `actions`.
    error GovernorExpulsionNotAlone(uint256 actions);
    /// @notice An expulsion quorum is a supermajority in basis points: above 5,000, at most 10,000.
    error GovernorInvalidExpulsionQuorum(uint256 equityBps, uint256 headcountBps);
    /// @notice Only active partners may propose.
    error GovernorProposerNotPartner(address proposer);
    /// @notice `voter` holds no ballot for this proposal: not a partner at its snapshot, on leave then
    /// (their cover votes), and covering nobody then.
    error GovernorVoterNotEligible(address voter);
    /// @notice Only the governance timelock may call this.
    error GovernorOnlyGovernance(address caller);
    /// @notice A quorum is in basis points: 1 to 10,000.
    error GovernorInvalidQuorum(uint256 equityBps, uint256 headcountBps);
    /// @notice The voting delay must be at least 1 second (weight is read at the snapshot, so a
    /// weight acquired in the proposing block can never vote) and at most a year.
    error GovernorInvalidVotingDelay(uint256 votingDelay);
    /// @notice The grace period must be between one day and a year.
    error GovernorInvalidGracePeriod(uint256 gracePeriod);

    // Settings (governance only)

    /// @notice Sets the voting delay for proposals made from now on. Emits {VotingDelaySet}.
    function setVotingDelay(uint48 newVotingDelay) external;

    /// @notice Sets the voting period for proposals made from now on. Emits {VotingPeriodSet}.
    function setVotingPeriod(uint32 newVotingPeriod) external;

    /// @notice Sets how long a passed proposal may wait to be queued, and a queued one to be
    /// executed after its eta, for proposals made from now on; proposals already made keep theirs.
    /// Emits {GracePeriodSet} and {ProposalRuleScheduled}.
    function setGracePeriod(uint48 newGracePeriod) external;

    /// @notice Sets both quorums for proposals made from now on; proposals already made keep theirs.
    /// Emits {QuorumChanged} and {ProposalRuleScheduled}.
    function setQuorum(uint16 equityBps, uint16 headcountBps) external;

    /// @notice Sets the supermajority an expulsion needs, of all the other partners by equity and by
    /// headcount, for proposals made from now on. Emits {ExpulsionQuorumChanged} and {ProposalRuleScheduled}.
    /// @dev Requirements: caller is the timelock; both above 5,000 (a majority) and at most 10,000.
    function setExpulsionQuorum(uint16 equityBps, uint16 headcountBps) external;

    // Exit locks (read by the withdrawal desk)

    /// @notice How many For ballots of `member` stand on fund-moving proposals not yet released: while
    /// any does, the member cannot withdraw with a share of the treasury.
    function openExitLocks(address member) external view returns (uint256);

    /// @notice Releases `member`'s For ballots on the given proposals that are over (executed,
    /// defeated, expired or canceled); ids of live proposals, or without such a ballot, are skipped.
    /// Anyone may call it: it only ever frees what is over. Returns the ballots still open.
    function settleExitLocks(address member, uint256[] calldata proposalIds) external returns (uint256 open);

    // Views

    /// @notice The grace period of the newest rule: how long a passed proposal may wait to be queued,
    /// and a queued one to be executed after its eta. Each proposal keeps the one of its own rule.
    function gracePeriod() external view returns (uint256);

    /// @notice The quorums of the newest rule, in basis points.
    function quorumBps() external view returns (uint16 equityBps, uint16 headcountBps);

    /// @notice The expulsion supermajority of the newest rule, in basis points.
    function expulsionQuorumBps() external view returns (uint16 equityBps, uint16 headcountBps);

    /// @notice A proposal's two quorums (fixed when it was made) and its two eligible bases at the
    /// snapshot: every partner then, less a recused partner subject.
    function proposalQuorums(
        uint256 proposalId
    ) external view returns (uint256 equityQuorum, uint256 headcountQuorum, uint256 equityBase, uint256 headcountBase);

    /// @notice What a proposal's For side must reach, by equity and by headcount: a majority of the
    /// eligible bases, or the expulsion supermajority (for an expulsion or a constitutional change);
    /// its kind; and when it expires if not queued (before queueing) or not executed (once queued).
    function proposalThresholds(
        uint256 proposalId
    ) external view returns (uint256 forEquity, uint256 forHeads, bool supermajority, bool movesFunds, uint256 expiresAt);

    /// @notice A proposal's tally: equity and headcount for each of Against, For and Abstain.
    function proposalVotes(
        uint256 proposalId
    )
        external
        view
        returns (
            uint256 againstEquity,
            uint256 forEquity,
            uint256 abstainEquity,
            uint256 againstHeads,
            uint256 forHeads,
            uint256 abstainHeads
        );

    /// @notice The member who cannot vote on a proposal (0 if none).
    function proposalSubject(uint256 proposalId) external view returns (address);
}
