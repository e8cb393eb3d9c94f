; Packline's Windows installer (Inno Setup 6.3 or later): installs the PyInstaller one-folder
; build (dist\packline\, from packaging\packline.spec) for every user of the PC.
;
;   iscc /DPackVersion=1.2.3 packaging\windows\packline.iss
;       → dist\packline-1.2.3-setup.exe
;
; IT installs it silently (docs/packaging.md, "Windows"):
;
;   packline-1.2.3-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /SETTINGS=\\fs\it\packline\station.ini /MERGETASKS=engine
;
; /SETTINGS=FILE    the station's settings file, copied to C:\ProgramData\Packline\station.ini
;                   (the machine-wide settings, platformdirs' site_config_dir); the file there
;                   before is kept as station.ini.bak. Without /SETTINGS an existing
;                   station.ini is left as it is (an upgrade never touches IT's file) and none
;                   is made: the template is {app}\station.ini.example.
; /MERGETASKS=engine  also run the order engine on this PC as the Windows service
;                   PacklineEngine (/TASKS=engine does too, but deselects the other tasks).
;
; The station's store, outbox, logs and printed files live in C:\ProgramData\Packline (the
; machine-wide data folder, platformdirs' site_data_dir), which every user of the PC may
; change; uninstalling leaves it and the settings in place.
;
; This script is kept correct by reading: it cannot be compiled or run on the Linux machine
; Packline is developed on.

#ifndef PackVersion
  #error Give the version: iscc /DPackVersion=1.2.3 packaging\windows\packline.iss
#endif

#define Root AddBackslash(SourcePath) + "..\.."
#define ServiceName "PacklineEngine"

; Simplified Chinese is an unofficial translation of Inno Setup's own messages: not in Inno
; Setup's installer. Put ChineseSimplified.isl (https://jrsoftware.org/files/istrans/) in Inno
; Setup's Languages folder or beside this script; without it the installer speaks English only.
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
  #define ChineseIsl "compiler:Languages\ChineseSimplified.isl"
#elif FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
  #define ChineseIsl AddBackslash(SourcePath) + "ChineseSimplified.isl"
#endif

[Setup]
; The same AppId for every version: an upgrade replaces the installed one.
AppId={{4A710F26-8863-4CD8-BDDD-2C59745EDDD7}
AppName=Packline
AppVersion={#PackVersion}
AppVerName=Packline {#PackVersion}
AppPublisher=Packline
DefaultDirName={autopf}\Packline
DefaultGroupName=Packline
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#Root}\dist
OutputBaseFilename=packline-{#PackVersion}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\packline.exe
UninstallDisplayName=Packline
; A running Packline is closed (and not restarted) so its files can be replaced.
CloseApplications=yes
RestartApplications=no
UsePreviousTasks=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
#ifdef ChineseIsl
Name: "chinesesimplified"; MessagesFile: "{#ChineseIsl}"
#endif

[CustomMessages]
english.DesktopIcon=Packline on the desktop
english.EngineTask=Run the order engine on this PC as a Windows service (one PC per central database is enough)
english.StartPackline=Start Packline
english.SettingsMissing=The settings file given with /SETTINGS was not found: %1
english.SettingsNotCopied=The settings file could not be copied to %1.
#ifdef ChineseIsl
chinesesimplified.DesktopIcon=在桌面上放置 Packline
chinesesimplified.EngineTask=在本机以 Windows 服务运行订单引擎（同一中心数据库有一台即可）
chinesesimplified.StartPackline=启动 Packline
chinesesimplified.SettingsMissing=找不到用 /SETTINGS 指定的设置文件：%1
chinesesimplified.SettingsNotCopied=无法将设置文件复制到 %1。
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"; Flags: unchecked
Name: "engine"; Description: "{cm:EngineTask}"; Flags: unchecked

[Dirs]
; The machine-wide settings and data folder: the station's store, outbox, logs and prints,
; shared by every account that uses this PC.
Name: "{commonappdata}\Packline"; Permissions: users-modify; Flags: uninsneveruninstall

[Files]
Source: "{#Root}\dist\packline\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "{#Root}\packaging\station.ini.example"; DestDir: "{app}"; Flags: ignoreversion

[Icons]
Name: "{group}\Packline"; Filename: "{app}\packline.exe"; WorkingDir: "{app}"
Name: "{autodesktop}\Packline"; Filename: "{app}\packline.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
; The engine's service: registered (or pointed at this version) with the engine task, removed
; without it; started when its token is kept (packline-console.exe service install
; --token-stdin gives it; docs/packaging.md).
Filename: "{app}\packline-console.exe"; Parameters: "service install"; Flags: runhidden waituntilterminated; Tasks: engine
Filename: "{app}\packline-console.exe"; Parameters: "service start"; Flags: runhidden waituntilterminated; Tasks: engine; Check: EngineTokenKept
Filename: "{app}\packline-console.exe"; Parameters: "service remove"; Flags: runhidden waituntilterminated; Tasks: not engine
Filename: "{app}\packline.exe"; Description: "{cm:StartPackline}"; Flags: postinstall nowait skipifsilent runasoriginaluser

[UninstallRun]
Filename: "{app}\packline-console.exe"; Parameters: "service remove"; Flags: runhidden waituntilterminated; RunOnceId: "RemoveEngineService"

[Code]
var
  SettingsFile: String;
  SettingsFailed: Boolean;

function InitializeSetup(): Boolean;
begin
  Result := True;
  SettingsFile := ExpandConstant('{param:SETTINGS|}');
  if SettingsFile <> '' then
  begin
    SettingsFile := ExpandFileName(SettingsFile);
    if not FileExists(SettingsFile) then
    begin
      SuppressibleMsgBox(FmtMessage(CustomMessage('SettingsMissing'), [SettingsFile]),
        mbCriticalError, MB_OK, IDOK);
      Result := False;  { nothing installed; setup exits with a non-zero code }
    end;
  end;
end;

function EngineTokenKept(): Boolean;
begin
  Result := FileExists(ExpandConstant('{commonappdata}\Packline\engine.token'));
end;

{ The engine's service holds the files being replaced: stop it first (net stop waits). }
function PrepareToInstall(var NeedsRestart: Boolean): String;
var
  ResultCode: Integer;
begin
  Exec(ExpandConstant('{sys}\net.exe'), 'stop {#ServiceName}', '', SW_HIDE,
    ewWaitUntilTerminated, ResultCode);  { not installed or not running: nothing to stop }
  Result := '';
end;

{ The settings file IT gave, as the machine-wide station.ini (the one there before kept as
  station.ini.bak), before the files and the service: the engine starts on it. The folder is
  made with the station's users allowed to change it, as [Dirs] says. }
procedure CurStepChanged(CurStep: TSetupStep);
var
  Folder, Target: String;
  ResultCode: Integer;
begin
  if (CurStep = ssInstall) and (SettingsFile <> '') then
  begin
    Folder := ExpandConstant('{commonappdata}\Packline');
    Target := Folder + '\station.ini';
    ForceDirectories(Folder);
    Exec(ExpandConstant('{sys}\icacls.exe'), '"' + Folder + '" /grant *S-1-5-32-545:(OI)(CI)M',
      '', SW_HIDE, ewWaitUntilTerminated, ResultCode);
    if FileExists(Target) then
      FileCopy(Target, Target + '.bak', False);
    if FileCopy(SettingsFile, Target, False) then
      Log('Settings: ' + SettingsFile + ' copied to ' + Target)
    else
    begin
      SettingsFailed := True;
      SuppressibleMsgBox(FmtMessage(CustomMessage('SettingsNotCopied'), [Target]),
        mbError, MB_OK, IDOK);
    end;
  end;
end;

{ Installed, but the settings file could not be copied: exit code 10 for IT's tooling. }
function GetCustomSetupExitCode(): Integer;
begin
  if SettingsFailed then
    Result := 10
  else
    Result := 0;
end;
