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
import {IBallotSource} from "./interfaces/IBallotSource.sol";
import {IFirmGovernor} from "./interfaces/IFirmGovernor.sol";
import {IPartnership} from "./interfaces/IPartnership.sol";

/// @title FirmGovernor: partnership-style governance behind a timelock
/// @notice Speaks OpenZeppelin's {IGovernor}, so existing governance clients work, with the rules of a
/// partnership:
/// - only partners vote, and a proposal passes only if its For side holds a majority by equity (units
///   at the snapshot) AND by headcount (one partner, one vote) of ALL the partners eligible to vote on
///   it, not only of those who voted, plus a quorum (For and Abstain) in each measure. No bundle can
///   pass below a majority, whoever it removes from the vote;
/// - an expulsion (remove, retire, or clawing back a partner's grant) is a proposal's only action and
///   needs a supermajority (default three quarters, by equity and by headcount) of all the other
///   partners at the snapshot;
/// - every partner's ballot has one holder: the partner, or the colleague who accepted to cover their
///   leave. Both bases count every partner at the snapshot, so a leave cannot move them;
/// - the subject of a proposal casts no ballot on it, their own or one they cover, and leaves both
///   bases (recusal);
/// - the rule of a proposal (quorums, expulsion quorums, grace period) is fixed when it is made;
/// - a For vote on a proposal that moves treasury funds locks the ballot's owner out of withdrawing
///   (see {Withdrawals}) until that proposal is executed, defeated or expired.
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

    /// @dev Flags in `ProposalCore.flagsAndRule`: two status bits and three kind bits over an 11-bit
    /// proposal-rule index.
    uint16 private constant EXECUTED = 1 << 15;
    uint16 private constant CANCELED = 1 << 14;
    uint16 private constant SUPERMAJORITY = 1 << 13;
    uint16 private constant MOVES_FUNDS = 1 << 12;
    uint16 private constant HAS_SUBJECT = 1 << 11;
    uint16 private constant RULE_MASK = HAS_SUBJECT - 1;
    /// @notice The supermajority an expulsion needs at deployment, in basis points of the other
    /// partners' equity and headcount, as partnership agreements commonly require.
    uint16 public constant DEFAULT_EXPULSION_BPS = 7_500;

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
    /// @dev The firm's own contracts: calls to them (but a buy-back) move no treasury funds.
    address private immutable _practices;
    address private immutable _revenueShare;
    /// @dev The talent directory: it holds no funds and has no payable function, so a proposal that only
    /// clears a profile or assigns a mentor locks no For voter's exit.
    address private immutable _directory;

    /// @dev One slot: proposer 160 | voteStart 48 | voteDuration 32 | flagsAndRule 16.
    struct ProposalCore {
        address proposer;
        uint48 voteStart;
        uint32 voteDuration;
        uint16 flagsAndRule;
    }

    /// @dev The rule a proposal is decided by, in force for snapshots from `since`. One slot.
    struct ProposalRule {
        uint16 equityBps;
        uint16 headcountBps;
        uint16 expulsionEquityBps;
        uint16 expulsionHeadcountBps;
        uint48 gracePeriod;
        uint48 since;
    }

    /// @dev One slot: votingDelay 48 | votingPeriod 32 | currentRule 16 | currentRuleSince 48. The
    /// newest rule lives here so that `propose` reads one settings slot.
    struct Settings {
        uint48 votingDelay;
        uint32 votingPeriod;
        uint16 currentRule;
        uint48 currentRuleSince;
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
    /// @dev The longest voting delay ever set: it bounds every existing proposal's snapshot. Apart from
    /// `_settings`, which `propose` reads.
    uint48 private _maxVotingDelay;
    ProposalRule[] private _rules;
    mapping(uint256 proposalId => ProposalCore) private _proposals;
    mapping(uint256 proposalId => uint48) private _etas;
    mapping(uint256 proposalId => uint256) private _tallies;
    /// @dev A bit per member index: set once that member's ballot is cast (or recused).
    mapping(uint256 proposalId => mapping(uint256 word => uint256 bits)) private _ballots;
    mapping(uint256 proposalId => address) private _subjects;
    /// @dev A bit per member index: set while that member's ballot stands For a proposal that moves funds.
    mapping(uint256 proposalId => mapping(uint256 word => uint256 bits)) private _fundsForBallots;
    /// @dev Per member index: For ballots on fund-moving proposals not yet released (see {settleExitLocks}).
    mapping(uint256 memberIndex => uint256) private _openFundVotes;

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
    /// @param directory_ The firm's {Directory}, whose calls move no treasury funds (zero if none).
    constructor(
        string memory name_,
        IBallotSource partnership_,
        TimelockController timelock_,
        InitialSettings memory settings,
        address directory_
    ) EIP712(name_, "1") {
        _name = name_;
        partnership = partnership_;
        timelock = timelock_;
        _practices = partnership_.practices();
        _revenueShare = partnership_.revenueShare();
        _directory = directory_;
        _setVotingDelay(settings.votingDelay);
        _setVotingPeriod(settings.votingPeriod);
        _validateGracePeriod(settings.gracePeriod);
        _validateQuorum(settings.equityQuorumBps, settings.headcountQuorumBps);
        // The first rule applies to every proposal.
        _rules.push(
            ProposalRule({
                equityBps: settings.equityQuorumBps,
                headcountBps: settings.headcountQuorumBps,
                expulsionEquityBps: DEFAULT_EXPULSION_BPS,
                expulsionHeadcountBps: DEFAULT_EXPULSION_BPS,
                gracePeriod: settings.gracePeriod,
                since: 0
            })
        );
        emit QuorumChanged(0, 0, settings.equityQuorumBps, settings.headcountQuorumBps);
        emit ExpulsionQuorumChanged(0, 0, DEFAULT_EXPULSION_BPS, DEFAULT_EXPULSION_BPS);
        emit GracePeriodSet(0, settings.gracePeriod);
        emit ProposalRuleScheduled(0, 0);
    }

    // ==========================================================================================
    // Proposals
    // ==========================================================================================

    /// @inheritdoc IGovernor
    /// @dev A description ending in `#proposer=0x…` may only be proposed by that address, which stops
    /// a front-runner from taking over a proposal (OpenZeppelin's fix for CVE-2023-34234).
    /// Requirements: the caller is an active partner; the arrays are non-empty and of equal length;
    /// the same proposal does not exist; an expulsion is the only action.
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
        uint16 kind = _classify(targets, values, calldatas);
        (uint256 voteStart, uint256 voteEnd) = _storeProposal(proposalId, kind);
        _emitProposalCreated(proposalId, voteStart, voteEnd, targets, values, calldatas, description);
        if (kind & HAS_SUBJECT != 0) _recuseSubjects(proposalId, targets, calldatas);
    }

    /// @dev Writes the proposal's one slot: proposer, snapshot, duration, kind and the rule in force
    /// at the snapshot (the newest one, unless a change is scheduled after this snapshot).
    function _storeProposal(uint256 proposalId, uint16 kind) private returns (uint256 voteStart, uint256 voteEnd) {
        ProposalCore storage p = _proposals[proposalId];
        if (p.voteStart != 0) revert GovernorUnexpectedProposalState(proposalId, state(proposalId), bytes32(0));
        Settings memory s = _settings;
        uint48 snapshot = clock() + s.votingDelay;
        uint256 rule = snapshot >= s.currentRuleSince ? s.currentRule : _ruleAt(snapshot);
        p.proposer = msg.sender;
        p.voteStart = snapshot;
        p.voteDuration = s.votingPeriod;
        p.flagsAndRule = kind | uint16(rule);
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
        string calldata description
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

    /// @inheritdoc IFirmGovernor
    function setVotingDelay(uint48 newVotingDelay) external onlyGovernance {
        _setVotingDelay(newVotingDelay);
    }

    /// @inheritdoc IFirmGovernor
    function setVotingPeriod(uint32 newVotingPeriod) external onlyGovernance {
        _setVotingPeriod(newVotingPeriod);
    }

    /// @inheritdoc IFirmGovernor
    function setGracePeriod(uint48 newGracePeriod) external onlyGovernance {
        _validateGracePeriod(newGracePeriod);
        ProposalRule memory rule = _newestRule();
        emit GracePeriodSet(rule.gracePeriod, newGracePeriod);
        rule.gracePeriod = newGracePeriod;
        _scheduleRule(rule);
    }

    /// @inheritdoc IFirmGovernor
    function setQuorum(uint16 equityBps, uint16 headcountBps) external onlyGovernance {
        _validateQuorum(equityBps, headcountBps);
        ProposalRule memory rule = _newestRule();
        emit QuorumChanged(rule.equityBps, rule.headcountBps, equityBps, headcountBps);
        (rule.equityBps, rule.headcountBps) = (equityBps, headcountBps);
        _scheduleRule(rule);
    }

    /// @inheritdoc IFirmGovernor
    function setExpulsionQuorum(uint16 equityBps, uint16 headcountBps) external onlyGovernance {
        if (equityBps <= 5_000 || equityBps > 10_000 || headcountBps <= 5_000 || headcountBps > 10_000) {
            revert GovernorInvalidExpulsionQuorum(equityBps, headcountBps);
        }
        ProposalRule memory rule = _newestRule();
        emit ExpulsionQuorumChanged(rule.expulsionEquityBps, rule.expulsionHeadcountBps, equityBps, headcountBps);
        (rule.expulsionEquityBps, rule.expulsionHeadcountBps) = (equityBps, headcountBps);
        _scheduleRule(rule);
    }

    // ==========================================================================================
    // Exit locks (read by the withdrawal desk)
    // ==========================================================================================

    /// @inheritdoc IFirmGovernor
    function openExitLocks(address member) external view returns (uint256) {
        return _openFundVotes[partnership.memberIndex(member)];
    }

    /// @inheritdoc IFirmGovernor
    function settleExitLocks(address member, uint256[] calldata proposalIds) external returns (uint256 open) {
        uint256 index = partnership.memberIndex(member);
        open = _openFundVotes[index];
        for (uint256 i = 0; i < proposalIds.length && open != 0; ++i) {
            uint256 id = proposalIds[i];
            ProposalState st = state(id);
            if (st == ProposalState.Pending || st == ProposalState.Active || st == ProposalState.Succeeded || st == ProposalState.Queued) continue;
            mapping(uint256 => uint256) storage bits = _fundsForBallots[id];
            uint256 mask = 1 << (index & 0xff);
            uint256 word = bits[index >> 8];
            if (word & mask == 0) continue;
            bits[index >> 8] = word & ~mask;
            --open;
        }
        _openFundVotes[index] = open;
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
    /// transaction. A passed proposal not queued within its grace period after the deadline, or a
    /// queued one not executed within it after its eta, is Expired.
    function state(uint256 proposalId) public view returns (ProposalState) {
        ProposalCore memory p = _proposals[proposalId];
        if (p.voteStart == 0) revert GovernorNonexistentProposal(proposalId);
        if (p.flagsAndRule & EXECUTED != 0) return ProposalState.Executed;
        if (p.flagsAndRule & CANCELED != 0) return ProposalState.Canceled;
        uint256 now_ = block.timestamp;
        if (p.voteStart >= now_) return ProposalState.Pending;
        if (uint256(p.voteStart) + p.voteDuration >= now_) return ProposalState.Active;
        ProposalRule memory rule = _rules[p.flagsAndRule & RULE_MASK];
        if (!_passed(proposalId, p, rule)) return ProposalState.Defeated;
        // Both windows use the proposal's own grace period: a later setting revives or kills nothing.
        uint256 eta = _etas[proposalId];
        if (eta == 0) {
            return now_ > uint256(p.voteStart) + p.voteDuration + rule.gracePeriod ? ProposalState.Expired : ProposalState.Succeeded;
        }
        if (now_ > eta + rule.gracePeriod) return ProposalState.Expired;
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

    /// @inheritdoc IFirmGovernor
    function gracePeriod() public view returns (uint256) {
        return _newestRule().gracePeriod;
    }

    /// @inheritdoc IGovernor
    /// @dev The equity quorum of the rule for snapshots at `timepoint`, over the partners' units then.
    /// A proposal's rule is the one for its snapshot, so `quorum(proposalSnapshot(id))` equals the
    /// equity quorum of {proposalQuorums}, except for a proposal with a recused partner subject, whose
    /// bases leave the subject out: {proposalQuorums} and {proposalThresholds} are the ones to trust.
    function quorum(uint256 timepoint) public view returns (uint256) {
        ProposalRule memory rule = _rules[_ruleAt(timepoint)];
        return _fraction(partnership.partnerVotesAt(timepoint), rule.equityBps);
    }

    /// @inheritdoc IFirmGovernor
    function quorumBps() external view returns (uint16 equityBps, uint16 headcountBps) {
        ProposalRule memory rule = _newestRule();
        return (rule.equityBps, rule.headcountBps);
    }

    /// @inheritdoc IFirmGovernor
    function expulsionQuorumBps() external view returns (uint16 equityBps, uint16 headcountBps) {
        ProposalRule memory rule = _newestRule();
        return (rule.expulsionEquityBps, rule.expulsionHeadcountBps);
    }

    /// @inheritdoc IFirmGovernor
    function proposalQuorums(
        uint256 proposalId
    ) public view returns (uint256 equityQuorum, uint256 headcountQuorum, uint256 equityBase, uint256 headcountBase) {
        ProposalCore memory p = _proposals[proposalId];
        if (p.voteStart == 0) revert GovernorNonexistentProposal(proposalId);
        ProposalRule memory rule = _rules[p.flagsAndRule & RULE_MASK];
        (equityBase, headcountBase) = _eligibleBases(proposalId, p);
        equityQuorum = _fraction(equityBase, rule.equityBps);
        headcountQuorum = _fraction(headcountBase, rule.headcountBps);
    }

    /// @inheritdoc IFirmGovernor
    function proposalThresholds(
        uint256 proposalId
    ) external view returns (uint256 forEquity, uint256 forHeads, bool supermajority, bool movesFunds, uint256 expiresAt) {
        ProposalCore memory p = _proposals[proposalId];
        if (p.voteStart == 0) revert GovernorNonexistentProposal(proposalId);
        ProposalRule memory rule = _rules[p.flagsAndRule & RULE_MASK];
        (uint256 equityBase, uint256 headcountBase) = _eligibleBases(proposalId, p);
        (forEquity, forHeads) = _forThresholds(p, rule, equityBase, headcountBase);
        supermajority = p.flagsAndRule & SUPERMAJORITY != 0;
        movesFunds = p.flagsAndRule & MOVES_FUNDS != 0;
        uint256 eta = _etas[proposalId];
        expiresAt = (eta == 0 ? uint256(p.voteStart) + p.voteDuration : eta) + rule.gracePeriod;
    }

    /// @inheritdoc IFirmGovernor
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

    /// @inheritdoc IFirmGovernor
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
        mapping(uint256 => uint256) storage bits = _ballots[proposalId];
        bool castSelf;
        if (p.flagsAndRule & HAS_SUBJECT == 0) {
            castSelf = b.selfIndex != 0 && _markBallot(bits, b.selfIndex);
        } else {
            castSelf = _castOwnWithSubject(proposalId, account, p.voteStart, b, bits);
        }
        // The subject's own ballot was marked at proposal time, so their cover cannot cast it either.
        bool castCover = b.coveredIndex != 0 && _markBallot(bits, b.coveredIndex);
        if (!castSelf && !castCover) _revertUncast(account, p.voteStart, b);
        if (support == FOR && p.flagsAndRule & MOVES_FUNDS != 0) {
            if (castSelf) _lockForExit(proposalId, b.selfIndex);
            if (castCover) _lockForExit(proposalId, b.coveredIndex);
        }

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

    /// @dev A voter on a proposal with a subject: the subject casts nothing, and a partner whose cover
    /// is the subject holds their own ballot back.
    /// Off the hot path: ordinary proposals have no subject.
    function _castOwnWithSubject(
        uint256 proposalId,
        address account,
        uint256 snapshot,
        IPartnership.Ballot memory b,
        mapping(uint256 => uint256) storage bits
    ) private returns (bool) {
        address subject = _subjects[proposalId];
        if (account == subject) revert GovernorVoterRecused(proposalId, account);
        if (b.selfIndex == 0 && subject != address(0) && partnership.coverAt(account, snapshot) == subject) {
            // Only a partner then and now: one who has left since (a rage-quit) holds no ballot at all.
            (, , uint256 index, , uint48 partnerSince, uint48 partnerUntil) = partnership.memberOf(account);
            if (partnerUntil == 0 && partnerSince != 0 && partnerSince <= snapshot) {
                b.selfIndex = index;
                b.selfWeight = partnership.getPastVotes(account, snapshot);
            }
        }
        return b.selfIndex != 0 && _markBallot(bits, b.selfIndex);
    }

    /// @dev Why a call cast nothing: a ballot held by a cover, no ballot at all, or every ballot cast.
    function _revertUncast(address account, uint256 snapshot, IPartnership.Ballot memory b) private view {
        if (b.selfIndex == 0 && b.coveredIndex == 0) {
            address cover = partnership.coverAt(account, snapshot);
            if (cover != address(0)) revert GovernorBallotHeldByCover(account, cover);
            revert GovernorVoterNotEligible(account);
        }
        revert GovernorAlreadyCastVote(account);
    }

    /// @dev Sets the ballot bit of member `index`; false if it was already set.
    function _markBallot(mapping(uint256 => uint256) storage bits, uint256 index) private returns (bool) {
        uint256 word = bits[index >> 8];
        uint256 mask = 1 << (index & 0xff);
        if (word & mask != 0) return false;
        bits[index >> 8] = word | mask;
        return true;
    }

    /// @dev What a proposal is, from its calls:
    /// - whether it moves treasury funds: any value, a call outside the firm's own contracts (the
    ///   partnership, its practices, the directory; the timelock's delay and the claim window), or a
    ///   buy-back;
    /// - whether it has a subject: the first address of an admit, setRole, retire or remove, or a
    ///   revoked grant's beneficiary;
    /// - whether it needs the supermajority: it expels a partner (remove, retire or revokeGrant of a
    ///   partner; then it must be the only action), or it changes the constitution, that is the
    ///   timelock's roles (a new proposer or executor would bypass every rule here) or the expulsion
    ///   quorum itself, so that a bare majority cannot first lower the bar and then expel.
    function _classify(
        address[] calldata targets,
        uint256[] calldata values,
        bytes[] calldata calldatas
    ) private view returns (uint16 kind) {
        bool expels;
        // Branches by target first, so the common actions read their selector (or nothing) only once;
        // the reads are raw, as `propose` already hashed (and so validated) all three arrays.
        uint256 n = targets.length;
        for (uint256 i = 0; i < n; ) {
            (address target, uint256 value, bytes4 selector) = _actionAt(targets, values, calldatas, i);
            if (value != 0) kind |= MOVES_FUNDS;
            if (target == address(partnership)) {
                bytes calldata data = calldatas[i];
                if (data.length >= 36) {
                    // retire(partner, successor, token, price): a price pays the treasury out.
                    if (selector == PARTNERSHIP_RETIRE && data.length >= 132 && uint256(bytes32(data[100:132])) != 0) {
                        kind |= MOVES_FUNDS;
                    }
                    (address subject, bool expelling) = _subjectOf(selector, data);
                    if (subject != address(0) || expelling) {
                        kind |= HAS_SUBJECT;
                        if (expelling && partnership.isActivePartner(subject)) expels = true;
                    }
                }
            } else if (target == address(timelock)) {
                if (selector != TIMELOCK_UPDATE_DELAY) kind |= MOVES_FUNDS | SUPERMAJORITY;
            } else if (target == address(this)) {
                if (selector == this.setExpulsionQuorum.selector) kind |= SUPERMAJORITY;
            } else if (target == _revenueShare) {
                if (selector != REVENUE_SET_CLAIM_WINDOW) kind |= MOVES_FUNDS;
            } else if (target != _practices && (target != _directory || target == address(0))) {
                kind |= MOVES_FUNDS;
            }
            unchecked {
                ++i;
            }
        }
        if (expels) {
            if (targets.length != 1) revert GovernorExpulsionNotAlone(targets.length);
            kind |= SUPERMAJORITY;
        }
    }

    /// @dev Action `i`: its target, value and selector (0 for calldata shorter than 4 bytes).
    function _actionAt(
        address[] calldata targets,
        uint256[] calldata values,
        bytes[] calldata calldatas,
        uint256 i
    ) private pure returns (address target, uint256 value, bytes4 selector) {
        // Raw reads: Solidity's indexed calldata access would re-validate each array on every action.
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            target := calldataload(add(targets.offset, shl(5, i)))
            value := calldataload(add(values.offset, shl(5, i)))
            let data := add(calldatas.offset, calldataload(add(calldatas.offset, shl(5, i))))
            if gt(calldataload(data), 3) {
                selector := and(calldataload(add(data, 32)), shl(224, 0xffffffff))
            }
        }
    }

    /// @dev The member a partnership call is about, and whether the call expels them.
    function _subjectOf(bytes4 selector, bytes calldata data) private view returns (address subject, bool expels) {
        // The first argument is the word right after the 4-byte selector.
        uint256 first = uint256(bytes32(data[4:36]));
        if (selector == PARTNERSHIP_REMOVE || selector == PARTNERSHIP_RETIRE) return (address(uint160(first)), true);
        if (selector == PARTNERSHIP_REVOKE_GRANT) {
            (address beneficiary, , , , , , ) = partnership.grantOf(first);
            return (beneficiary, true);
        }
        if (selector == PARTNERSHIP_ADMIT || selector == PARTNERSHIP_SET_ROLE) return (address(uint160(first)), false);
        return (address(0), false);
    }

    /// @dev Records the first subject and marks every subject's own ballot as cast, so neither they nor
    /// their cover can cast it.
    function _recuseSubjects(uint256 proposalId, address[] calldata targets, bytes[] calldata calldatas) private {
        for (uint256 i = 0; i < targets.length; ++i) {
            bytes calldata data = calldatas[i];
            if (targets[i] != address(partnership) || data.length < 36) continue;
            (address subject, bool expels) = _subjectOf(bytes4(data[:4]), data);
            if (subject == address(0) && !expels) continue;
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
    bytes4 private constant PARTNERSHIP_REVOKE_GRANT = bytes4(keccak256("revokeGrant(uint256)"));
    bytes4 private constant TIMELOCK_UPDATE_DELAY = bytes4(keccak256("updateDelay(uint256)"));
    bytes4 private constant REVENUE_SET_CLAIM_WINDOW = bytes4(keccak256("setClaimWindow(uint48)"));

    /// @dev Every partner at the snapshot, by equity and by headcount, less a recused partner subject.
    function _eligibleBases(uint256 proposalId, ProposalCore memory p) private view returns (uint256 equityBase, uint256 headcountBase) {
        equityBase = partnership.partnerVotesAt(p.voteStart);
        headcountBase = partnership.headcountAt(p.voteStart);
        if (p.flagsAndRule & HAS_SUBJECT != 0) {
            address subject = _subjects[proposalId];
            (, , , , uint48 since, uint48 until) = partnership.memberOf(subject);
            if (since != 0 && since <= p.voteStart && (until == 0 || p.voteStart < until)) {
                // Before the snapshot (a pending proposal) the bases are provisional, like the bases themselves.
                equityBase -= p.voteStart < clock() ? partnership.getPastVotes(subject, p.voteStart) : partnership.getVotes(subject);
                --headcountBase;
            }
        }
    }

    /// @dev For must hold more than half of each eligible base, or the expulsion supermajority of it.
    function _forThresholds(
        ProposalCore memory p,
        ProposalRule memory rule,
        uint256 equityBase,
        uint256 headcountBase
    ) private pure returns (uint256 forEquity, uint256 forHeads) {
        if (p.flagsAndRule & SUPERMAJORITY != 0) {
            return (_fraction(equityBase, rule.expulsionEquityBps), _fraction(headcountBase, rule.expulsionHeadcountBps));
        }
        return (equityBase / 2 + 1, headcountBase / 2 + 1);
    }

    /// @dev Passed: For reaches its thresholds in both measures, and For and Abstain both quorums.
    function _passed(uint256 proposalId, ProposalCore memory p, ProposalRule memory rule) private view returns (bool) {
        (uint256 equityBase, uint256 headcountBase) = _eligibleBases(proposalId, p);
        (uint256 forEquity, uint256 forHeads) = _forThresholds(p, rule, equityBase, headcountBase);
        uint256 t = _tallies[proposalId];
        return
            _equity(t, FOR) >= forEquity &&
            _heads(t, FOR) >= forHeads &&
            _equity(t, FOR) + _equity(t, ABSTAIN) >= _fraction(equityBase, rule.equityBps) &&
            _heads(t, FOR) + _heads(t, ABSTAIN) >= _fraction(headcountBase, rule.headcountBps);
    }

    /// @dev Records that member `index`'s ballot stands For a fund-moving proposal.
    function _lockForExit(uint256 proposalId, uint256 index) private {
        _fundsForBallots[proposalId][index >> 8] |= 1 << (index & 0xff);
        ++_openFundVotes[index];
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

    /// @dev The newest rule whose `since` is at or before `timepoint`: a binary search (starts ascend).
    function _ruleAt(uint256 timepoint) private view returns (uint256) {
        uint256 low = 0;
        uint256 high = _rules.length;
        while (low < high) {
            uint256 mid = (low + high) / 2;
            if (_rules[mid].since > timepoint) high = mid;
            else low = mid + 1;
        }
        return low == 0 ? 0 : low - 1;
    }

    function _newestRule() private view returns (ProposalRule memory) {
        return _rules[_rules.length - 1];
    }

    /// @dev Appends `rule` for snapshots after every snapshot a proposal may already have (now plus the
    /// longest voting delay ever set), so no existing proposal's rule changes, and proposals and
    /// {quorum} both read the rule by snapshot.
    function _scheduleRule(ProposalRule memory rule) private {
        uint256 index = _rules.length;
        if (index > RULE_MASK) revert GovernorInvalidQuorum(rule.equityBps, rule.headcountBps);
        Settings storage s = _settings;
        uint48 since = clock() + _maxVotingDelay + 1;
        rule.since = since;
        _rules.push(rule);
        s.currentRule = uint16(index);
        s.currentRuleSince = since;
        emit ProposalRuleScheduled(index, since);
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
        if (newVotingDelay > _maxVotingDelay) _maxVotingDelay = newVotingDelay;
    }

    function _setVotingPeriod(uint32 newVotingPeriod) private {
        if (newVotingPeriod == 0 || newVotingPeriod > 365 days) revert GovernorInvalidVotingPeriod(newVotingPeriod);
        emit VotingPeriodSet(_settings.votingPeriod, newVotingPeriod);
        _settings.votingPeriod = newVotingPeriod;
    }

    function _validateGracePeriod(uint48 newGracePeriod) private pure {
        if (newGracePeriod < 1 days || newGracePeriod > 365 days) revert GovernorInvalidGracePeriod(newGracePeriod);
    }

    function _validateQuorum(uint16 equityBps, uint16 headcountBps) private pure {
        if (equityBps == 0 || equityBps > 10_000 || headcountBps == 0 || headcountBps > 10_000) {
            revert GovernorInvalidQuorum(equityBps, headcountBps);
        }
    }
}
