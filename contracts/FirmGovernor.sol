// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IERC6372} from "@openzeppelin/contracts/interfaces/IERC6372.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {IFirmGovernor} from "./interfaces/IFirmGovernor.sol";
import {IPartnership} from "./interfaces/IPartnership.sol";

/// @notice The part of {Partnership} the governor reads.
interface IBallotSource {
    /// @notice The ballots `voter` holds at `timepoint`, with their weights.
    function ballot(address voter, uint256 timepoint) external view returns (IPartnership.Ballot memory);
    /// @notice Partners at `timepoint` not on leave then.
    function headcountAt(uint256 timepoint) external view returns (uint256);
    /// @notice The voting units partners held at `timepoint`.
    function partnerVotesAt(uint256 timepoint) external view returns (uint256);
    /// @notice `account`'s voting units at `timepoint`.
    function getPastVotes(address account, uint256 timepoint) external view returns (uint256);
    /// @notice Whether `account` is a partner, active or on leave, now.
    function isActivePartner(address account) external view returns (bool);
    /// @notice `account`'s ballot position, 0 for a non-member.
    function memberIndex(address account) external view returns (uint256);
}

/// @title FirmGovernor: partnership-style governance behind a timelock
/// @notice Speaks OpenZeppelin's {IGovernor}, so existing governance clients work, with the rules of a
/// partnership:
/// - only partners vote, and a proposal passes only with a majority by equity (units at the snapshot)
///   AND a majority by headcount (one partner, one vote) among those who voted, plus a quorum in each
///   measure; the headcount quorum counts active partners only, not those on leave;
/// - a partner on leave at the snapshot is represented by their cover, in both measures;
/// - the member a proposal admits, promotes, retires or removes cannot vote on it (recusal);
/// - quorums are fixed when a proposal is made: a later change applies only to later proposals.
/// Passed proposals are queued in, and executed by, a {TimelockController} whose only proposer,
/// canceller and executor is this contract.
/// @dev Written against IGovernor rather than extending OpenZeppelin's Governor so that each proposal
/// is one storage slot (its quorum rule included) and a vote writes a ballot bit and a packed tally:
/// see the layouts below.
contract FirmGovernor is IGovernor, IFirmGovernor, EIP712, Nonces {
    /// @notice EIP-712 type of a signed vote, as OpenZeppelin's Governor.
    bytes32 public constant BALLOT_TYPEHASH = keccak256("Ballot(uint256 proposalId,uint8 support,address voter,uint256 nonce)");
    /// @notice EIP-712 type of a signed vote with reason and params, as OpenZeppelin's Governor.
    bytes32 public constant EXTENDED_BALLOT_TYPEHASH =
        keccak256("ExtendedBallot(uint256 proposalId,uint8 support,address voter,uint256 nonce,string reason,bytes params)");

    uint8 private constant AGAINST = 0;
    uint8 private constant FOR = 1;
    uint8 private constant ABSTAIN = 2;

    /// @dev Flags in `ProposalCore.flagsAndRule`: two status bits over a 14-bit quorum-rule index.
    uint16 private constant EXECUTED = 1 << 15;
    uint16 private constant CANCELED = 1 << 14;
    uint16 private constant RULE_MASK = CANCELED - 1;

    /// @dev Tally word: equity per support in 64-bit lanes (Against, For, Abstain at bits 0, 64, 128),
    /// then headcount per support in 21-bit lanes from bit 192. 64 bits hold any total, since the
    /// partnership's units are uint64; 21 bits hold two million partners.
    uint256 private constant EQUITY_LANE = 64;
    uint256 private constant HEADS_OFFSET = 192;
    uint256 private constant HEADS_LANE = 21;
    uint256 private constant EQUITY_MASK = (1 << 64) - 1;
    uint256 private constant HEADS_MASK = (1 << 21) - 1;

    /// @notice The partnership whose ballots count.
    IBallotSource public immutable partnership;
    /// @notice The timelock that executes passed proposals and holds the treasury.
    TimelockController public immutable timelock;

    /// @dev One slot: proposer 160 | voteStart 48 | voteDuration 32 | flagsAndRule 16.
    struct ProposalCore {
        address proposer;
        uint48 voteStart;
        uint32 voteDuration;
        uint16 flagsAndRule;
    }

    /// @dev A quorum rule and the time it took effect.
    struct QuorumRule {
        uint16 equityBps;
        uint16 headcountBps;
        uint48 since;
    }

    /// @dev One slot: votingDelay 48 | votingPeriod 32 | gracePeriod 48 | currentRule 16. The rule
    /// index lives here so that `propose` reads one settings slot.
    struct Settings {
        uint48 votingDelay;
        uint32 votingPeriod;
        uint48 gracePeriod;
        uint16 currentRule;
    }

    /// @notice The governance parameters a governor starts with; all can change later by proposal.
    struct InitialSettings {
        uint48 votingDelay;
        uint32 votingPeriod;
        uint48 gracePeriod;
        uint16 equityQuorumBps;
        uint16 headcountQuorumBps;
    }

    string private _name;
    Settings private _settings;
    QuorumRule[] private _quorumRules;
    mapping(uint256 proposalId => ProposalCore) private _proposals;
    mapping(uint256 proposalId => uint48) private _etas;
    mapping(uint256 proposalId => uint256) private _tallies;
    /// @dev A bit per member index: set once that member's ballot is cast (or recused).
    mapping(uint256 proposalId => mapping(uint256 word => uint256 bits)) private _ballots;
    mapping(uint256 proposalId => address) private _subjects;

    modifier onlyGovernance() {
        if (msg.sender != address(timelock)) revert GovernorOnlyGovernance(msg.sender);
        _;
    }

    /// @param name_ The governor's EIP-712 name, shown by governance clients.
    /// @param partnership_ The partnership whose ballots count.
    /// @param timelock_ The timelock; this governor must be its only proposer, canceller and executor.
    /// @param settings The voting delay, voting period and grace period in seconds; the equity quorum
    /// in basis points of the voting units partners held at the snapshot; the headcount quorum in basis points of the
    /// active partners at the snapshot.
    constructor(
        string memory name_,
        IBallotSource partnership_,
        TimelockController timelock_,
        InitialSettings memory settings
    ) EIP712(name_, "1") {
        _name = name_;
        partnership = partnership_;
        timelock = timelock_;
        _setVotingDelay(settings.votingDelay);
        _setVotingPeriod(settings.votingPeriod);
        _setGracePeriod(settings.gracePeriod);
        _setQuorum(settings.equityQuorumBps, settings.headcountQuorumBps);
    }

    // ==========================================================================================
    // Proposals
    // ==========================================================================================

    /// @inheritdoc IGovernor
    /// @dev A description ending in `#proposer=0x…` may only be proposed by that address, which stops
    /// a front-runner from taking over a proposal (OpenZeppelin's fix for CVE-2023-34234).
    /// Requirements: the caller is an active partner; the arrays are non-empty and of equal length;
    /// the same proposal does not exist.
    function propose(
        address[] calldata targets,
        uint256[] calldata values,
        bytes[] calldata calldatas,
        string calldata description
    ) external returns (uint256 proposalId) {
        if (!_isValidDescriptionForProposer(msg.sender, description)) revert GovernorRestrictedProposer(msg.sender);
        if (!partnership.isActivePartner(msg.sender)) revert GovernorProposerNotPartner(msg.sender);
        if (targets.length == 0 || targets.length != values.length || targets.length != calldatas.length) {
            revert GovernorInvalidProposalLength(targets.length, calldatas.length, values.length);
        }
        proposalId = uint256(keccak256(abi.encode(targets, values, calldatas, keccak256(bytes(description)))));
        (uint256 voteStart, uint256 voteEnd) = _storeProposal(proposalId);
        _emitProposalCreated(proposalId, voteStart, voteEnd, targets, values, calldatas, description);
        _recuseSubjects(proposalId, targets, calldatas);
    }

    /// @dev Writes the proposal's one slot: proposer, snapshot, duration and the quorum rule in force.
    function _storeProposal(uint256 proposalId) private returns (uint256 voteStart, uint256 voteEnd) {
        ProposalCore storage p = _proposals[proposalId];
        if (p.voteStart != 0) revert GovernorUnexpectedProposalState(proposalId, state(proposalId), bytes32(0));
        Settings memory s = _settings;
        uint48 snapshot = clock() + s.votingDelay;
        p.proposer = msg.sender;
        p.voteStart = snapshot;
        p.voteDuration = s.votingPeriod;
        p.flagsAndRule = s.currentRule;
        return (snapshot, uint256(snapshot) + s.votingPeriod);
    }

    /// @dev Its own frame: the calldata arrays take two stack slots each, too many for `propose` alone.
    function _emitProposalCreated(
        uint256 proposalId,
        uint256 voteStart,
        uint256 voteEnd,
        address[] calldata targets,
        uint256[] calldata values,
        bytes[] calldata calldatas,
        string memory description
    ) private {
        emit ProposalCreated(
            proposalId,
            msg.sender,
            targets,
            values,
            new string[](targets.length),
            calldatas,
            voteStart,
            voteEnd,
            description
        );
    }

    /// @inheritdoc IGovernor
    /// @dev Requirements: the proposal succeeded. Emits {ProposalQueued}.
    function queue(
        address[] calldata targets,
        uint256[] calldata values,
        bytes[] calldata calldatas,
        bytes32 descriptionHash
    ) external returns (uint256 proposalId) {
        proposalId = uint256(keccak256(abi.encode(targets, values, calldatas, descriptionHash)));
        _requireState(proposalId, ProposalState.Succeeded);
        uint256 delay = timelock.getMinDelay();
        uint48 eta = clock() + uint48(delay);
        _etas[proposalId] = eta;
        timelock.scheduleBatch(targets, values, calldatas, 0, _timelockSalt(descriptionHash), delay);
        emit ProposalQueued(proposalId, eta);
    }

    /// @inheritdoc IGovernor
    /// @dev Marked executed before the timelock runs it, so a reentrant call finds it done.
    /// Requirements: the proposal is queued and its eta has passed (the timelock checks the eta).
    /// Emits {ProposalExecuted}.
    function execute(
        address[] calldata targets,
        uint256[] calldata values,
        bytes[] calldata calldatas,
        bytes32 descriptionHash
    ) external payable returns (uint256 proposalId) {
        proposalId = uint256(keccak256(abi.encode(targets, values, calldatas, descriptionHash)));
        _requireState(proposalId, ProposalState.Queued);
        _proposals[proposalId].flagsAndRule |= EXECUTED;
        timelock.executeBatch{value: msg.value}(targets, values, calldatas, 0, _timelockSalt(descriptionHash));
        emit ProposalExecuted(proposalId);
    }

    /// @inheritdoc IGovernor
    /// @dev The proposer may cancel while the proposal is pending. Emits {ProposalCanceled}.
    function cancel(
        address[] calldata targets,
        uint256[] calldata values,
        bytes[] calldata calldatas,
        bytes32 descriptionHash
    ) external returns (uint256 proposalId) {
        proposalId = uint256(keccak256(abi.encode(targets, values, calldatas, descriptionHash)));
        if (state(proposalId) != ProposalState.Pending || msg.sender != _proposals[proposalId].proposer) {
            revert GovernorUnableToCancel(proposalId, msg.sender);
        }
        _proposals[proposalId].flagsAndRule |= CANCELED;
        emit ProposalCanceled(proposalId);
    }

    // ==========================================================================================
    // Votes
    // ==========================================================================================

    /// @inheritdoc IGovernor
    function castVote(uint256 proposalId, uint8 support) public returns (uint256) {
        return _castVote(proposalId, msg.sender, support, "");
    }

    /// @inheritdoc IGovernor
    function castVoteWithReason(uint256 proposalId, uint8 support, string calldata reason) public returns (uint256) {
        return _castVote(proposalId, msg.sender, support, reason);
    }

    /// @inheritdoc IGovernor
    /// @dev Params are not used by this counting mode and must be empty.
    function castVoteWithReasonAndParams(
        uint256 proposalId,
        uint8 support,
        string calldata reason,
        bytes memory params
    ) public returns (uint256) {
        if (params.length != 0) revert GovernorInvalidVoteParams();
        return _castVote(proposalId, msg.sender, support, reason);
    }

    /// @inheritdoc IGovernor
    function castVoteBySig(
        uint256 proposalId,
        uint8 support,
        address voter,
        bytes memory signature
    ) public returns (uint256) {
        bytes32 digest = _hashTypedDataV4(keccak256(abi.encode(BALLOT_TYPEHASH, proposalId, support, voter, _useNonce(voter))));
        if (!SignatureChecker.isValidSignatureNow(voter, digest, signature)) revert GovernorInvalidSignature(voter);
        return _castVote(proposalId, voter, support, "");
    }

    /// @inheritdoc IGovernor
    function castVoteWithReasonAndParamsBySig(
        uint256 proposalId,
        uint8 support,
        address voter,
        string calldata reason,
        bytes memory params,
        bytes memory signature
    ) public returns (uint256) {
        if (params.length != 0) revert GovernorInvalidVoteParams();
        bytes32 digest = _hashTypedDataV4(
            keccak256(
                abi.encode(
                    EXTENDED_BALLOT_TYPEHASH,
                    proposalId,
                    support,
                    voter,
                    _useNonce(voter),
                    keccak256(bytes(reason)),
                    keccak256(params)
                )
            )
        );
        if (!SignatureChecker.isValidSignatureNow(voter, digest, signature)) revert GovernorInvalidSignature(voter);
        return _castVote(proposalId, voter, support, reason);
    }

    // ==========================================================================================
    // Settings (governance only)
    // ==========================================================================================

    /// @notice Sets the voting delay for proposals made from now on. Emits {VotingDelaySet}.
    function setVotingDelay(uint48 newVotingDelay) external onlyGovernance {
        _setVotingDelay(newVotingDelay);
    }

    /// @notice Sets the voting period for proposals made from now on. Emits {VotingPeriodSet}.
    function setVotingPeriod(uint32 newVotingPeriod) external onlyGovernance {
        _setVotingPeriod(newVotingPeriod);
    }

    /// @notice Sets how long a queued proposal stays executable after its eta. Emits {GracePeriodSet}.
    function setGracePeriod(uint48 newGracePeriod) external onlyGovernance {
        _setGracePeriod(newGracePeriod);
    }

    /// @notice Sets both quorums for proposals made from now on; proposals already made keep theirs.
    /// Emits {QuorumChanged}.
    function setQuorum(uint16 equityBps, uint16 headcountBps) external onlyGovernance {
        _setQuorum(equityBps, headcountBps);
    }

    // ==========================================================================================
    // Views
    // ==========================================================================================

    /// @inheritdoc IGovernor
    function name() public view returns (string memory) {
        return _name;
    }

    /// @inheritdoc IGovernor
    function version() public pure returns (string memory) {
        return "1";
    }

    /// @inheritdoc IGovernor
    function COUNTING_MODE() public pure returns (string memory) { // solhint-disable-line func-name-mixedcase
        return "support=bravo&quorum=for,abstain&headcount=for,abstain&params=none";
    }

    /// @inheritdoc IERC6372
    function clock() public view returns (uint48) {
        return uint48(block.timestamp);
    }

    /// @inheritdoc IERC6372
    function CLOCK_MODE() public pure returns (string memory) { // solhint-disable-line func-name-mixedcase
        return "mode=timestamp";
    }

    /// @inheritdoc IGovernor
    function hashProposal(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) public pure returns (uint256) {
        return uint256(keccak256(abi.encode(targets, values, calldatas, descriptionHash)));
    }

    /// @inheritdoc IGovernor
    function getProposalId(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) public pure returns (uint256) {
        return hashProposal(targets, values, calldatas, descriptionHash);
    }

    /// @inheritdoc IGovernor
    /// @dev Follows the clock: Pending, Active, then Defeated or Succeeded as time passes, with no
    /// transaction. A queued proposal not executed within the grace period after its eta is Expired.
    function state(uint256 proposalId) public view returns (ProposalState) {
        ProposalCore memory p = _proposals[proposalId];
        if (p.voteStart == 0) revert GovernorNonexistentProposal(proposalId);
        if (p.flagsAndRule & EXECUTED != 0) return ProposalState.Executed;
        if (p.flagsAndRule & CANCELED != 0) return ProposalState.Canceled;
        uint256 now_ = block.timestamp;
        if (p.voteStart >= now_) return ProposalState.Pending;
        if (uint256(p.voteStart) + p.voteDuration >= now_) return ProposalState.Active;
        if (!_quorumReached(proposalId, p) || !_voteSucceeded(_tallies[proposalId])) return ProposalState.Defeated;
        uint256 eta = _etas[proposalId];
        if (eta == 0) return ProposalState.Succeeded;
        if (now_ > eta + _settings.gracePeriod) return ProposalState.Expired;
        return ProposalState.Queued;
    }

    /// @inheritdoc IGovernor
    /// @dev Proposing takes being an active partner, not a number of votes.
    function proposalThreshold() public pure returns (uint256) {
        return 0;
    }

    /// @inheritdoc IGovernor
    function proposalSnapshot(uint256 proposalId) public view returns (uint256) {
        return _proposals[proposalId].voteStart;
    }

    /// @inheritdoc IGovernor
    function proposalDeadline(uint256 proposalId) public view returns (uint256) {
        ProposalCore memory p = _proposals[proposalId];
        return uint256(p.voteStart) + p.voteDuration;
    }

    /// @inheritdoc IGovernor
    function proposalProposer(uint256 proposalId) public view returns (address) {
        return _proposals[proposalId].proposer;
    }

    /// @inheritdoc IGovernor
    function proposalEta(uint256 proposalId) public view returns (uint256) {
        return _etas[proposalId];
    }

    /// @inheritdoc IGovernor
    function proposalNeedsQueuing(uint256) public pure returns (bool) {
        return true;
    }

    /// @inheritdoc IGovernor
    function votingDelay() public view returns (uint256) {
        return _settings.votingDelay;
    }

    /// @inheritdoc IGovernor
    function votingPeriod() public view returns (uint256) {
        return _settings.votingPeriod;
    }

    /// @notice How long a queued proposal stays executable after its eta.
    function gracePeriod() public view returns (uint256) {
        return _settings.gracePeriod;
    }

    /// @inheritdoc IGovernor
    /// @dev The equity quorum of the rule in force at `timepoint`. A proposal's own two quorums are
    /// given by {proposalQuorums}.
    function quorum(uint256 timepoint) public view returns (uint256) {
        QuorumRule memory rule = _quorumRules[_ruleAt(timepoint)];
        return _fraction(partnership.partnerVotesAt(timepoint), rule.equityBps);
    }

    /// @notice The quorum rule in force now, in basis points.
    function quorumBps() external view returns (uint16 equityBps, uint16 headcountBps) {
        QuorumRule memory rule = _quorumRules[_quorumRules.length - 1];
        return (rule.equityBps, rule.headcountBps);
    }

    /// @notice A proposal's two quorums (fixed when it was made) and its two bases at the snapshot.
    function proposalQuorums(
        uint256 proposalId
    ) public view returns (uint256 equityQuorum, uint256 headcountQuorum, uint256 equityBase, uint256 headcountBase) {
        ProposalCore memory p = _proposals[proposalId];
        if (p.voteStart == 0) revert GovernorNonexistentProposal(proposalId);
        QuorumRule memory rule = _quorumRules[p.flagsAndRule & RULE_MASK];
        equityBase = partnership.partnerVotesAt(p.voteStart);
        headcountBase = partnership.headcountAt(p.voteStart);
        equityQuorum = _fraction(equityBase, rule.equityBps);
        headcountQuorum = _fraction(headcountBase, rule.headcountBps);
    }

    /// @notice A proposal's tally: equity and headcount for each of Against, For and Abstain.
    function proposalVotes(
        uint256 proposalId
    )
        public
        view
        returns (
            uint256 againstEquity,
            uint256 forEquity,
            uint256 abstainEquity,
            uint256 againstHeads,
            uint256 forHeads,
            uint256 abstainHeads
        )
    {
        uint256 t = _tallies[proposalId];
        return (_equity(t, AGAINST), _equity(t, FOR), _equity(t, ABSTAIN), _heads(t, AGAINST), _heads(t, FOR), _heads(t, ABSTAIN));
    }

    /// @notice The member who cannot vote on a proposal (0 if none).
    function proposalSubject(uint256 proposalId) external view returns (address) {
        return _subjects[proposalId];
    }

    /// @inheritdoc IGovernor
    function getVotes(address account, uint256 timepoint) public view returns (uint256) {
        return partnership.getPastVotes(account, timepoint);
    }

    /// @inheritdoc IGovernor
    function getVotesWithParams(address account, uint256 timepoint, bytes memory) public view returns (uint256) {
        return partnership.getPastVotes(account, timepoint);
    }

    /// @inheritdoc IGovernor
    /// @dev True once `account`'s own ballot is cast, by itself or by its cover, or when it is recused.
    function hasVoted(uint256 proposalId, address account) public view returns (bool) {
        uint256 index = partnership.memberIndex(account);
        if (index == 0) return false;
        return _ballots[proposalId][index >> 8] & (1 << (index & 0xff)) != 0;
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) public pure returns (bool) {
        return interfaceId == type(IGovernor).interfaceId || interfaceId == type(IERC165).interfaceId;
    }

    // ==========================================================================================
    // Internal
    // ==========================================================================================

    /// @dev Casts every ballot `account` holds and has not cast yet: its own and the one of the partner
    /// it covers. Each ballot is a bit per member index, so neither the partner nor the cover can cast
    /// the same ballot twice, in either order.
    function _castVote(uint256 proposalId, address account, uint8 support, string memory reason) private returns (uint256 weight) {
        if (support > ABSTAIN) revert GovernorInvalidVoteType();
        ProposalCore memory p = _proposals[proposalId];
        if (p.voteStart == 0) revert GovernorNonexistentProposal(proposalId);
        uint256 now_ = block.timestamp;
        if (p.flagsAndRule & CANCELED != 0 || now_ <= p.voteStart || now_ > uint256(p.voteStart) + p.voteDuration) {
            revert GovernorUnexpectedProposalState(proposalId, state(proposalId), _encodeStateBitmap(ProposalState.Active));
        }

        IPartnership.Ballot memory b = partnership.ballot(account, p.voteStart);
        if (b.selfIndex == 0 && b.coveredIndex == 0) revert GovernorVoterNotEligible(account);
        mapping(uint256 => uint256) storage bits = _ballots[proposalId];
        bool castSelf = b.selfIndex != 0 && _markBallot(bits, b.selfIndex);
        bool castCover = b.coveredIndex != 0 && _markBallot(bits, b.coveredIndex);
        if (!castSelf && !castCover) revert GovernorAlreadyCastVote(account);

        uint256 heads;
        if (castSelf) {
            weight = b.selfWeight;
            heads = 1;
        }
        if (castCover) {
            weight += b.coveredWeight;
            ++heads;
        }
        // No lane overflows: equity sums stay below the uint64 unit supply, heads below 2^21.
        _tallies[proposalId] += (weight << (EQUITY_LANE * support)) | (heads << (HEADS_OFFSET + HEADS_LANE * support));

        emit VoteCast(account, proposalId, support, weight, reason);
        if (castCover) emit VoteCastByCover(proposalId, account, b.covered, support, b.coveredWeight, castSelf);
    }

    /// @dev Sets the ballot bit of member `index`; false if it was already set.
    function _markBallot(mapping(uint256 => uint256) storage bits, uint256 index) private returns (bool) {
        uint256 word = bits[index >> 8];
        uint256 mask = 1 << (index & 0xff);
        if (word & mask != 0) return false;
        bits[index >> 8] = word | mask;
        return true;
    }

    /// @dev Marks as already cast the ballots of the members a proposal is about: the first address
    /// argument of every admit, setRole, retire or remove call to the partnership.
    function _recuseSubjects(uint256 proposalId, address[] calldata targets, bytes[] calldata calldatas) private {
        for (uint256 i = 0; i < targets.length; ++i) {
            if (targets[i] != address(partnership)) continue;
            bytes calldata data = calldatas[i];
            if (data.length < 36) continue;
            bytes4 selector = bytes4(data[:4]);
            if (
                selector != PARTNERSHIP_ADMIT &&
                selector != PARTNERSHIP_SET_ROLE &&
                selector != PARTNERSHIP_RETIRE &&
                selector != PARTNERSHIP_REMOVE
            ) continue;
            // The first argument, an address, is the word right after the 4-byte selector.
            address subject = address(uint160(uint256(bytes32(data[4:36]))));
            if (_subjects[proposalId] == address(0)) _subjects[proposalId] = subject;
            uint256 index = partnership.memberIndex(subject);
            if (index != 0) _markBallot(_ballots[proposalId], index);
            emit VoterRecused(proposalId, subject);
        }
    }

    bytes4 private constant PARTNERSHIP_ADMIT = bytes4(keccak256("admit(address,uint8,string,uint8,(uint64,uint48,uint32,uint32))"));
    bytes4 private constant PARTNERSHIP_SET_ROLE = bytes4(keccak256("setRole(address,uint8)"));
    bytes4 private constant PARTNERSHIP_RETIRE = bytes4(keccak256("retire(address,address,address,uint256)"));
    bytes4 private constant PARTNERSHIP_REMOVE = bytes4(keccak256("remove(address)"));

    function _quorumReached(uint256 proposalId, ProposalCore memory p) private view returns (bool) {
        QuorumRule memory rule = _quorumRules[p.flagsAndRule & RULE_MASK];
        uint256 t = _tallies[proposalId];
        uint256 equityBase = partnership.partnerVotesAt(p.voteStart);
        uint256 headcountBase = partnership.headcountAt(p.voteStart);
        return
            _equity(t, FOR) + _equity(t, ABSTAIN) >= _fraction(equityBase, rule.equityBps) &&
            _heads(t, FOR) + _heads(t, ABSTAIN) >= _fraction(headcountBase, rule.headcountBps);
    }

    /// @dev Both majorities among the ballots cast: equity and headcount.
    function _voteSucceeded(uint256 t) private pure returns (bool) {
        return _equity(t, FOR) > _equity(t, AGAINST) && _heads(t, FOR) > _heads(t, AGAINST);
    }

    function _equity(uint256 t, uint8 support) private pure returns (uint256) {
        return (t >> (EQUITY_LANE * support)) & EQUITY_MASK;
    }

    function _heads(uint256 t, uint8 support) private pure returns (uint256) {
        return (t >> (HEADS_OFFSET + HEADS_LANE * support)) & HEADS_MASK;
    }

    /// @dev Rounded up, and never zero: "50% of 5 partners" needs 3, and a quorum always needs a vote.
    function _fraction(uint256 base, uint256 bps) private pure returns (uint256) {
        uint256 q = (base * bps + 9_999) / 10_000;
        return q == 0 ? 1 : q;
    }

    function _ruleAt(uint256 timepoint) private view returns (uint256 index) {
        index = _quorumRules.length - 1;
        while (index > 0 && _quorumRules[index].since > timepoint) --index;
    }

    function _requireState(uint256 proposalId, ProposalState expected) private view {
        ProposalState current = state(proposalId);
        if (current != expected) revert GovernorUnexpectedProposalState(proposalId, current, _encodeStateBitmap(expected));
    }

    function _encodeStateBitmap(ProposalState s) private pure returns (bytes32) {
        return bytes32(1 << uint8(s));
    }

    /// @dev Ties the timelock operation to this governor, so another governor on the same timelock
    /// could not collide with it.
    function _timelockSalt(bytes32 descriptionHash) private view returns (bytes32) {
        return bytes20(address(this)) ^ descriptionHash;
    }

    /// @dev A description may end with `#proposer=0x` and 40 hex digits; then only that address may propose it.
    function _isValidDescriptionForProposer(address proposer, string calldata description) private pure returns (bool) {
        bytes calldata b = bytes(description);
        uint256 length = b.length;
        if (length < 52) return true;
        if (bytes10(b[length - 52:length - 42]) != bytes10("#proposer=")) return true;
        (bool ok, address named) = Strings.tryParseAddress(description, length - 42, length);
        return !ok || named == proposer;
    }

    function _setVotingDelay(uint48 newVotingDelay) private {
        if (newVotingDelay == 0 || newVotingDelay > 365 days) revert GovernorInvalidVotingDelay(newVotingDelay);
        emit VotingDelaySet(_settings.votingDelay, newVotingDelay);
        _settings.votingDelay = newVotingDelay;
    }

    function _setVotingPeriod(uint32 newVotingPeriod) private {
        if (newVotingPeriod == 0 || newVotingPeriod > 365 days) revert GovernorInvalidVotingPeriod(newVotingPeriod);
        emit VotingPeriodSet(_settings.votingPeriod, newVotingPeriod);
        _settings.votingPeriod = newVotingPeriod;
    }

    function _setGracePeriod(uint48 newGracePeriod) private {
        if (newGracePeriod < 1 days || newGracePeriod > 365 days) revert GovernorInvalidGracePeriod(newGracePeriod);
        emit GracePeriodSet(_settings.gracePeriod, newGracePeriod);
        _settings.gracePeriod = newGracePeriod;
    }

    function _setQuorum(uint16 equityBps, uint16 headcountBps) private {
        if (equityBps == 0 || equityBps > 10_000 || headcountBps == 0 || headcountBps > 10_000) {
            revert GovernorInvalidQuorum(equityBps, headcountBps);
        }
        uint256 count = _quorumRules.length;
        if (count > RULE_MASK) revert GovernorInvalidQuorum(equityBps, headcountBps);
        (uint16 oldEquity, uint16 oldHeadcount) = count == 0
            ? (0, 0)
            : (_quorumRules[count - 1].equityBps, _quorumRules[count - 1].headcountBps);
        _quorumRules.push(QuorumRule({equityBps: equityBps, headcountBps: headcountBps, since: clock()}));
        _settings.currentRule = uint16(count);
        emit QuorumChanged(oldEquity, oldHeadcount, equityBps, headcountBps);
    }
}
